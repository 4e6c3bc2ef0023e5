package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the writer's bytes against the format itself rather than against our own reader: an
 * independent minimal parser, reference bytes from Hugging Face's serializer, and a golden file.
 */
class SafetensorsLayoutTest {
    @TempDir
    Path dir;

    /** What Hugging Face's Rust reader demands, written without any of the production parsing code. */
    private record Parsed(String header, JsonNode json, byte[] data) {
        static Parsed of(byte[] file) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.toIntExact(buffer.getLong(0));
            String header = new String(file, 8, n, StandardCharsets.UTF_8);
            return new Parsed(header, new ObjectMapper().readTree(header), Arrays.copyOfRange(file, 8 + n, file.length));
        }
    }

    @Test
    void writerOutputSatisfiesAnIndependentMinimalParser() throws IOException {
        Path path = dir.resolve("m.safetensors");
        SafetensorsWriter.write(path, List.of(
                SafetensorsWriter.i8("odd", new long[] {3}, new byte[] {1, 2, 3}),
                SafetensorsWriter.f32("w", new long[] {2}, new float[] {1f, 2f}),
                SafetensorsWriter.f16("h", new long[] {1}, new float[] {1f})), Map.of("format", "pt"));
        Parsed parsed = Parsed.of(Files.readAllBytes(path));

        assertEquals(0, parsed.header().length() % 8, "header length is a multiple of 8");
        assertTrue(parsed.header().startsWith("{\"__metadata__\":{\"format\":\"pt\"},"), parsed.header());
        assertEquals(parsed.header().stripTrailing() + " ".repeat(parsed.header().length() - parsed.header().stripTrailing().length()),
                parsed.header(), "padding is spaces only");
        assertTrue(parsed.header().contains("\"odd\":{\"dtype\":\"I8\",\"shape\":[3],\"data_offsets\":[0,3]}"), parsed.header());

        List<String> order = new ArrayList<>();
        long expectedBegin = 0;
        for (var field : parsed.json().properties()) {
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            order.add(field.getKey());
            JsonNode offsets = field.getValue().get("data_offsets");
            assertEquals(expectedBegin, offsets.get(0).asLong(), "contiguous, no gaps: " + field.getKey());
            expectedBegin = offsets.get(1).asLong();
        }
        assertEquals(List.of("odd", "w", "h"), order);
        assertEquals(expectedBegin, parsed.data().length, "the last tensor ends exactly at the end of the file");
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40, 0x00, 0x3C}, parsed.data());
    }

    /** The exact outputs asserted by Hugging Face safetensors' own serializer tests. */
    @Test
    void writerReproducesHuggingFaceReferenceBytes() throws IOException {
        assertEquals(framed("{}" + " ".repeat(6), new byte[0]), written(List.of(), Map.of()));
        assertEquals(framed("{\"__metadata__\":{\"framework\":\"pt\"}}" + " ".repeat(5), new byte[0]),
                written(List.of(), Map.of("framework", "pt")));

        float[] values = {0f, 1f, 2f, 3f, 4f, 5f};
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putFloat(value);
        }
        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        ByteBuffer written = written(List.of(SafetensorsWriter.f32("attn0", new long[] {1, 1, 2, 3}, values)), Map.of());
        assertEquals(72, written.order(ByteOrder.LITTLE_ENDIAN).getLong(0), "the header is padded to 72 bytes");
        assertEquals(framed(header + " ".repeat(7), data.array()), written);
    }

    @Test
    void goldenFileIsReadCorrectly() {
        try (SafetensorsFile file = SafetensorsFile.open(golden())) {
            assertEquals(Map.of("format", "pt"), file.metadata());
            assertEquals(List.of("position_ids", "scale", "embed.weight", "empty", "scalar", "ids32", "norm.bf16",
                    "half", "shorts", "bytes", "ubytes", "mask"), file.names());
            assertArrayEquals(new long[] {-1, 0, 9007199254740993L}, file.toLongs("position_ids"));
            assertArrayEquals(new long[] {1, 3}, file.info("position_ids").shape());
            assertEquals(-2.25, file.segment("scale").getAtIndex(
                    ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 1));
            assertArrayEquals(new float[] {1.5f, -2.25f}, file.toFloats("scale"));
            assertArrayEquals(new float[] {0.5f, -1f, 3.25f, 0.001f}, file.toFloats("embed.weight"));
            assertArrayEquals(new long[] {0, 4}, file.info("empty").shape());
            assertEquals(0, file.segment("empty").byteSize());
            assertArrayEquals(new float[] {42f}, file.toFloats("scalar"));
            assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, file.toLongs("ids32"));
            assertArrayEquals(new float[] {1f, -2f, 0.15625f}, file.toFloats("norm.bf16"));
            assertArrayEquals(new float[] {1f, -0.5f, 65504f}, file.toFloats("half"));
            assertArrayEquals(new long[] {-300, 32767}, file.toLongs("shorts"));
            assertArrayEquals(new long[] {-128, 127}, file.toLongs("bytes"));
            assertArrayEquals(new long[] {0, 255}, file.toLongs("ubytes"));
            assertArrayEquals(new long[] {1, 0, 1}, file.toLongs("mask"));
            assertEquals(DType.BOOL, file.info("mask").dtype());
        }
    }

    @Test
    void writerReproducesGoldenFileByteForByte() throws IOException {
        byte[] expected = Files.readAllBytes(golden());
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        // Same tensors in the same order: the golden file's order is the one Python's serializer picks.
        try (SafetensorsFile file = SafetensorsFile.open(golden())) {
            for (String name : file.names()) {
                TensorInfo info = file.info(name);
                entries.add(new SafetensorsWriter.Entry(name, info.dtype(), info.shape(), file.segment(name)));
            }
            assertEquals(ByteBuffer.wrap(expected), written(entries, file.metadata()));
        }
    }

    @Test
    void readerAcceptsAnyKeyOrderGapsAndTrailingPadding() {
        // Keys inside entries reversed, __metadata__ last, tensors listed out of offset order, a gap
        // between them: all legal for the format even though our writer never emits them.
        String header = "{\"b\":{\"data_offsets\":[8,12],\"shape\":[1],\"dtype\":\"F32\"},"
                + "\"a\":{\"shape\":[2],\"dtype\":\"I16\",\"data_offsets\":[0,4]},"
                + "\"__metadata__\":{\"k\":\"v\"}}   ";
        Path path = RawSafetensors.write(dir, "order.safetensors", RawSafetensors.file(header, 12));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(List.of("b", "a"), file.names());
            assertEquals(Map.of("k", "v"), file.metadata());
            assertEquals(new TensorInfo("b", DType.F32, new long[] {1}, 8, 12), file.info("b"));
        }
    }

    private static ByteBuffer framed(String header, byte[] data) {
        return ByteBuffer.wrap(RawSafetensors.file(header.getBytes(StandardCharsets.UTF_8), data));
    }

    private ByteBuffer written(List<SafetensorsWriter.Entry> entries, Map<String, String> metadata) throws IOException {
        Path path = Files.createTempFile(dir, "w", ".safetensors");
        SafetensorsWriter.write(path, entries, metadata);
        return ByteBuffer.wrap(Files.readAllBytes(path));
    }

    private Path golden() {
        Path copy = dir.resolve("golden.safetensors");
        if (!Files.exists(copy)) {
            try (InputStream in = getClass().getResourceAsStream("/io/golden.safetensors")) {
                Files.copy(in, copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copy;
    }
}
