package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static final double[] F64 = {1.5, -2.25, Double.MAX_VALUE, 1e-300};
    private static final float[] F32 = {0.5f, -1f, 3.25f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 1e30f};
    private static final float[] HALF = {1f, -0.5f, 65504f, 0.000061035156f}; // exactly representable in F16
    private static final float[] BF = {1f, -2f, 0.15625f, 3.3895314e38f};      // exactly representable in BF16
    private static final long[] I64 = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
    private static final int[] I32 = {Integer.MIN_VALUE, -7, Integer.MAX_VALUE};
    private static final short[] I16 = {Short.MIN_VALUE, -300, Short.MAX_VALUE};
    private static final byte[] I8 = {Byte.MIN_VALUE, -1, Byte.MAX_VALUE};
    private static final byte[] U8 = {0, 1, (byte) 200, (byte) 255};
    private static final boolean[] BOOL = {true, false, true};

    private Path writeAllDtypes(Map<String, String> metadata) {
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, List.of(
                SafetensorsWriter.f64("f64", new long[] {2, 2}, F64),
                SafetensorsWriter.f32("f32", new long[] {2, 3}, F32),
                SafetensorsWriter.f16("f16", new long[] {4}, HALF),
                SafetensorsWriter.bf16("bf16", new long[] {4}, BF),
                SafetensorsWriter.i64("i64", new long[] {4}, I64),
                SafetensorsWriter.i32("i32", new long[] {3}, I32),
                SafetensorsWriter.i16("i16", new long[] {3}, I16),
                SafetensorsWriter.i8("i8", new long[] {3}, I8),
                SafetensorsWriter.u8("u8", new long[] {2, 2}, U8),
                SafetensorsWriter.bool("bool", new long[] {3}, BOOL)), metadata);
        return file;
    }

    @Test
    void everyDtypeRoundTripsWithValuesAndMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "ünïcödé ✓");
        try (SafetensorsFile file = SafetensorsFile.open(writeAllDtypes(metadata))) {
            assertEquals(metadata, file.metadata());
            assertEquals(List.of("f64", "f32", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool"), file.names());
            float[] f64AsFloats = file.toFloats("f64");
            for (int i = 0; i < F64.length; i++) {
                assertEquals((float) F64[i], f64AsFloats[i]);
                assertEquals(F64[i], file.segment("f64").getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i));
            }
            assertArrayEquals(F32, file.toFloats("f32"));
            assertArrayEquals(HALF, file.toFloats("f16"));
            assertArrayEquals(BF, file.toFloats("bf16"));
            assertArrayEquals(I64, file.toLongs("i64"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, file.toLongs("i32"));
            assertArrayEquals(new long[] {Short.MIN_VALUE, -300, Short.MAX_VALUE}, file.toLongs("i16"));
            assertArrayEquals(new long[] {-128, -1, 127}, file.toLongs("i8"));
            assertArrayEquals(new long[] {0, 1, 200, 255}, file.toLongs("u8"));
            assertArrayEquals(new long[] {1, 0, 1}, file.toLongs("bool"));
            assertArrayEquals(new float[] {0, 1, 200, 255}, file.toFloats("u8"));
            assertArrayEquals(new float[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, file.toFloats("i32"));
            assertArrayEquals(new float[] {1, 0, 1}, file.toFloats("bool"));

            TensorInfo u8 = file.info("u8");
            assertEquals(DType.U8, u8.dtype());
            assertArrayEquals(new long[] {2, 2}, u8.shape());
            assertEquals(4, u8.elementCount());
            assertEquals(4, u8.byteSize());
            assertTrue(file.contains("bool"));
        }
    }

    @Test
    void tensorsAreLaidOutContiguouslyInTheOrderGiven() {
        try (SafetensorsFile file = SafetensorsFile.open(writeAllDtypes(Map.of()))) {
            long expectedBegin = 0;
            for (String name : file.names()) {
                TensorInfo info = file.info(name);
                assertEquals(expectedBegin, info.begin(), name);
                expectedBegin = info.end();
            }
            assertTrue(file.metadata().isEmpty());
        }
    }

    @Test
    void unalignedTensorsReadCorrectly() {
        // An odd-sized I8 tensor first pushes the F32 and I64 data off their natural alignment.
        Path path = dir.resolve("unaligned.safetensors");
        SafetensorsWriter.write(path, List.of(
                SafetensorsWriter.i8("pad", new long[] {3}, new byte[] {1, 2, 3}),
                SafetensorsWriter.f32("f", new long[] {2}, new float[] {1.25f, -8f}),
                SafetensorsWriter.i64("l", new long[] {1}, new long[] {0x0102030405060708L})), null);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(3, file.info("f").begin());
            assertArrayEquals(new float[] {1.25f, -8f}, file.toFloats("f"));
            assertArrayEquals(new long[] {0x0102030405060708L}, file.toLongs("l"));
        }
    }

    @Test
    void zeroLengthAndScalarTensorsRoundTrip() {
        Path path = dir.resolve("edge.safetensors");
        SafetensorsWriter.write(path, List.of(
                SafetensorsWriter.f32("empty", new long[] {0, 7}, new float[0]),
                SafetensorsWriter.f32("scalar", new long[] {}, new float[] {42f}),
                SafetensorsWriter.i64("also-empty", new long[] {3, 0}, new long[0])), Map.of());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(0, file.info("empty").elementCount());
            assertEquals(0, file.segment("empty").byteSize());
            assertArrayEquals(new float[0], file.toFloats("empty"));
            assertArrayEquals(new long[0], file.toLongs("also-empty"));
            assertEquals(0, file.info("scalar").rank());
            assertEquals(1, file.info("scalar").elementCount());
            assertArrayEquals(new float[] {42f}, file.toFloats("scalar"));
        }
    }

    @Test
    void fileWithNoTensorsRoundTrips() {
        Path path = dir.resolve("none.safetensors");
        SafetensorsWriter.write(path, List.of(), Map.of("format", "pt"));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(List.of(), file.names());
            assertEquals(Map.of("format", "pt"), file.metadata());
        }
    }

    @Test
    void nonAsciiTensorNamesRoundTrip() {
        Path path = dir.resolve("names.safetensors");
        SafetensorsWriter.write(path, List.of(
                SafetensorsWriter.f32("слой.вес", new long[] {1}, new float[] {1f}),
                SafetensorsWriter.f32("quote\"and\\backslash", new long[] {1}, new float[] {2f})), Map.of());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(List.of("слой.вес", "quote\"and\\backslash"), file.names());
            assertArrayEquals(new float[] {2f}, file.toFloats("quote\"and\\backslash"));
        }
    }

    @Test
    void bf16ConversionRoundsToNearestEven() {
        // 1 + 2^-8 lies exactly between two bfloat16 values; ties go to the even mantissa (1.0).
        float tie = 1f + 0x1p-8f;
        float aboveTie = Math.nextUp(tie);
        Path path = dir.resolve("bf.safetensors");
        SafetensorsWriter.write(path, List.of(SafetensorsWriter.bf16("x", new long[] {3}, new float[] {tie, aboveTie, Float.NaN})), null);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            float[] back = file.toFloats("x");
            assertEquals(1f, back[0]);
            assertEquals(1f + 0x1p-7f, back[1]);
            assertTrue(Float.isNaN(back[2]));
        }
    }

    @Test
    void segmentsAreReadOnlyViewsThatDieOnClose() {
        SafetensorsFile file = SafetensorsFile.open(writeAllDtypes(Map.of()));
        MemorySegment segment = file.segment("f32");
        assertEquals(24, segment.byteSize());
        assertTrue(segment.isReadOnly());
        assertThrows(IllegalArgumentException.class, () -> segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        file.close();
        file.close(); // closing twice is harmless
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void toLongsRefusesFloatingPointTensors() {
        try (SafetensorsFile file = SafetensorsFile.open(writeAllDtypes(Map.of()))) {
            ScalpelException e = assertThrows(ScalpelException.class, () -> file.toLongs("f32"));
            assertTrue(e.getMessage().contains("'f32'"), e.getMessage());
        }
    }

    @Test
    void unknownTensorNameFailsNamingFileAndTensor() {
        Path path = writeAllDtypes(Map.of());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> file.info("nope"));
            assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("'nope'"), e.getMessage());
            assertThrows(CheckpointFormatException.class, () -> file.segment("nope"));
            assertEquals(false, file.contains("nope"));
        }
    }

    @Test
    void dtypeNamesAndSizesMatchTheFormat() {
        assertEquals(DType.BF16, DType.fromName("BF16"));
        assertEquals(8, DType.F64.byteSize());
        assertEquals(2, DType.BF16.byteSize());
        assertEquals(1, DType.BOOL.byteSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromName("f32"));
        assertTrue(e.getMessage().contains("f32"));
        assertThrows(IllegalArgumentException.class, () -> DType.fromName("F8_E4M3"));
    }

    @Test
    void tensorInfoComparesShapesByValueAndCopiesThem() {
        long[] shape = {2, 3};
        TensorInfo a = new TensorInfo("w", DType.F32, shape, 0, 24);
        shape[0] = 99;
        assertEquals(new TensorInfo("w", DType.F32, new long[] {2, 3}, 0, 24), a);
        a.shape()[1] = 99;
        assertArrayEquals(new long[] {2, 3}, a.shape());
    }
}
