package dev.scalpel.interpret.harvest;

import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one shard a harvest holds in memory: up to {@code capacity} rows, each with the text it came from and its
 * token position, written as {@code x [rows, d]}, {@code text_index [rows]} (int64) and {@code position [rows]}
 * (int32; -1 for a pooled row).
 */
final class ShardBuffer {
    private final int capacity;
    private final int dimension;
    private final DType dtype;
    private final float[] x;
    private final long[] textIndex;
    private final int[] position;
    private int count;

    ShardBuffer(int capacity, int dimension, DType dtype) {
        this.capacity = capacity;
        this.dimension = dimension;
        this.dtype = dtype;
        this.x = new float[Math.multiplyExact(capacity, dimension)];
        this.textIndex = new long[capacity];
        this.position = new int[capacity];
    }

    int count() {
        return count;
    }

    boolean full() {
        return count == capacity;
    }

    /** Appends {@code row} (d values from {@code offset}); the caller flushes when {@link #full()}. */
    void append(float[] row, int offset, long text, int pos) {
        if (full()) {
            throw new IllegalStateException("shard buffer is full; write it first");
        }
        System.arraycopy(row, offset, x, count * dimension, dimension);
        textIndex[count] = text;
        position[count] = pos;
        count++;
    }

    /** Writes the buffered rows to {@code file} (atomically) and empties the buffer. */
    void writeTo(Path file) {
        long[] xShape = {count, dimension};
        SafetensorsWriter.Entry xs = switch (dtype) {
            case F32 -> float32(xShape);
            case F16 -> SafetensorsWriter.f16("x", xShape, Arrays.copyOf(x, count * dimension));
            case BF16 -> SafetensorsWriter.bf16("x", xShape, Arrays.copyOf(x, count * dimension));
            default -> throw new IllegalStateException("unsupported shard dtype " + dtype);
        };
        SafetensorsWriter.write(file, List.of(xs,
                SafetensorsWriter.i64("text_index", new long[] {count}, Arrays.copyOf(textIndex, count)),
                SafetensorsWriter.i32("position", new long[] {count}, Arrays.copyOf(position, count))),
                Map.of("format", "pt"));
        count = 0;
    }

    // Heap floats are in native order; on little-endian machines they are written as they lie, without a second copy.
    private SafetensorsWriter.Entry float32(long[] shape) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            MemorySegment bytes = MemorySegment.ofArray(x).asSlice(0, (long) count * dimension * Float.BYTES);
            return new SafetensorsWriter.Entry("x", DType.F32, shape, bytes);
        }
        return SafetensorsWriter.f32("x", shape, Arrays.copyOf(x, count * dimension));
    }
}
