package dev.scalpel.core.io;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes Hugging Face compatible safetensors: an 8-byte little-endian u64 header length, the JSON
 * header padded with spaces to a multiple of 8, then the data section with the tensors laid out in
 * the order given, contiguous, without gaps.
 */
public final class SafetensorsWriter {
    private static final int COPY_CHUNK = 8 << 20;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SafetensorsWriter() {}

    /**
     * One tensor to write.
     *
     * @param bytes the tensor's little-endian bytes, exactly {@code elementCount(shape) * dtype.byteSize()} long
     */
    public record Entry(String name, DType dtype, long[] shape, MemorySegment bytes) {

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(bytes, "bytes");
            shape = shape.clone();
            for (long dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                            + Shapes.format(shape));
                }
            }
            long expected = Shapes.byteSize(shape, dtype);
            if (bytes.byteSize() != expected) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Shapes.format(shape)
                        + " x " + dtype + " needs " + expected + " bytes but " + bytes.byteSize() + " were given");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * Writes {@code entries} and {@code metadata} to {@code file} atomically: the bytes go to a temporary
     * file in the same folder, which is then moved over {@code file}, so readers never see a half-written
     * checkpoint and a failed write leaves any previous file intact.
     *
     * @param metadata written as {@code __metadata__}; omitted from the header when null or empty
     * @throws IllegalArgumentException for a duplicate or reserved tensor name
     * @throws ScalpelException if the file cannot be written
     */
    public static void write(Path file, List<Entry> entries, Map<String, String> metadata) {
        Map<String, String> meta = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
        checkNames(entries);
        byte[] header = HeaderEncoder.encode(entries, meta);
        Path folder = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = AtomicFiles.createTemp(folder, file.getFileName().toString());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writeFully(out, ByteBuffer.allocate(8).order(LE).putLong(0, header.length));
                writeFully(out, ByteBuffer.wrap(header));
                writeData(out, entries);
                out.force(true);
            }
            AtomicFiles.moveIntoPlace(temp, file);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot write safetensors file: " + AtomicFiles.reason(e), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    private static void checkNames(List<Entry> entries) {
        Set<String> seen = new HashSet<>();
        for (Entry entry : entries) {
            if (entry.name().equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + HeaderParser.METADATA_KEY
                        + "' is reserved by the format and cannot name a tensor");
            }
            if (!seen.add(entry.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + entry.name() + "'");
            }
        }
    }

    /**
     * Copies through a direct staging buffer because a caller's segment may be mapped, native or backed
     * by any primitive array, and may exceed the 2 GB a single ByteBuffer can address.
     */
    private static void writeData(FileChannel out, List<Entry> entries) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(COPY_CHUNK);
            ByteBuffer buffer = staging.asByteBuffer();
            for (Entry entry : entries) {
                MemorySegment bytes = entry.bytes();
                for (long at = 0; at < bytes.byteSize(); at += COPY_CHUNK) {
                    int length = (int) Math.min(COPY_CHUNK, bytes.byteSize() - at);
                    MemorySegment.copy(bytes, at, staging, 0, length);
                    writeFully(out, buffer.clear().limit(length));
                }
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    // Convenience entries from Java arrays. Each copies the values into a fresh little-endian buffer.

    public static Entry f64(String name, long[] shape, double[] values) {
        MemorySegment bytes = allocate(values.length, DType.F64);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE), 0, values.length);
        return new Entry(name, DType.F64, shape, bytes);
    }

    public static Entry f32(String name, long[] shape, float[] values) {
        MemorySegment bytes = allocate(values.length, DType.F32);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), 0, values.length);
        return new Entry(name, DType.F32, shape, bytes);
    }

    /** Rounds each value to the nearest IEEE half-precision number. */
    public static Entry f16(String name, long[] shape, float[] values) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToFloat16(values[i]);
        }
        return shorts(name, DType.F16, shape, bits);
    }

    /** Rounds each value to the nearest bfloat16, ties to even, as PyTorch does. */
    public static Entry bf16(String name, long[] shape, float[] values) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = BFloat16.fromFloat(values[i]);
        }
        return shorts(name, DType.BF16, shape, bits);
    }

    public static Entry i64(String name, long[] shape, long[] values) {
        MemorySegment bytes = allocate(values.length, DType.I64);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE), 0, values.length);
        return new Entry(name, DType.I64, shape, bytes);
    }

    public static Entry i32(String name, long[] shape, int[] values) {
        MemorySegment bytes = allocate(values.length, DType.I32);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE), 0, values.length);
        return new Entry(name, DType.I32, shape, bytes);
    }

    public static Entry i16(String name, long[] shape, short[] values) {
        return shorts(name, DType.I16, shape, values);
    }

    public static Entry i8(String name, long[] shape, byte[] values) {
        return new Entry(name, DType.I8, shape, MemorySegment.ofArray(values.clone()));
    }

    /** Bytes taken as unsigned 0..255. */
    public static Entry u8(String name, long[] shape, byte[] values) {
        return new Entry(name, DType.U8, shape, MemorySegment.ofArray(values.clone()));
    }

    public static Entry bool(String name, long[] shape, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] ? (byte) 1 : (byte) 0;
        }
        return new Entry(name, DType.BOOL, shape, MemorySegment.ofArray(bytes));
    }

    private static Entry shorts(String name, DType dtype, long[] shape, short[] values) {
        MemorySegment bytes = allocate(values.length, dtype);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE), 0, values.length);
        return new Entry(name, dtype, shape, bytes);
    }

    // Heap-backed so that convenience entries need no arena and are freed by the garbage collector.
    private static MemorySegment allocate(int count, DType dtype) {
        return MemorySegment.ofArray(new byte[Math.multiplyExact(count, dtype.byteSize())]);
    }
}
