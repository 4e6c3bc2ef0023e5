package dev.scalpel.interpret.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Moves SAE weights between little-endian bytes (float32, float16, bfloat16 or float64) and float32 NDArrays, in
 * blocks of rows so that a matrix larger than a Java array (a 1M-feature Gemma Scope decoder is 9 GB) still loads
 * and saves, with at most one block of Java floats alive at a time.
 */
final class Float32Tensors {
    private static final long BLOCK_ELEMENTS = 16L << 20;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The floating-point encodings SAE weights come in. */
    enum Encoding {
        F32(4), F16(2), BF16(2), F64(8);

        final int byteSize;

        Encoding(int byteSize) {
            this.byteSize = byteSize;
        }
    }

    private Float32Tensors() {}

    /** A float32 array of {@code shape} decoded from {@code bytes} (C order, little-endian). */
    static NDArray toNDArray(MemorySegment bytes, Encoding encoding, long[] shape, NDManager manager) {
        Shape s = new Shape(shape);
        long count = s.size();
        if (count <= BLOCK_ELEMENTS || shape.length == 0) {
            return manager.create(decode(bytes, encoding, 0, (int) count), s);
        }
        long rowElements = count / shape[0];
        long rowsPerBlock = Math.max(1, BLOCK_ELEMENTS / Math.max(1, rowElements));
        if (rowElements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rows of " + rowElements + " elements are too long to load");
        }
        NDArray out = manager.zeros(s, DataType.FLOAT32);
        for (long r = 0; r < shape[0]; r += rowsPerBlock) {
            long n = Math.min(rowsPerBlock, shape[0] - r);
            long[] blockShape = shape.clone();
            blockShape[0] = n;
            try (NDManager tmp = manager.newSubManager()) {
                float[] values = decode(bytes, encoding, r * rowElements, (int) (n * rowElements));
                out.set(new NDIndex("{}:{}", r, r + n), tmp.create(values, new Shape(blockShape)));
            }
        }
        return out;
    }

    private static float[] decode(MemorySegment bytes, Encoding encoding, long first, int n) {
        float[] out = new float[n];
        switch (encoding) {
            case F32 -> MemorySegment.copy(bytes, F32, first * 4, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(bytes.getAtIndex(I16, first + i));
                }
            }
            // bfloat16 is the top half of a float32, so widening is exact.
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((bytes.getAtIndex(I16, first + i) & 0xFFFF) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bytes.getAtIndex(F64, first + i);
                }
            }
        }
        return out;
    }

    /** The float32 little-endian bytes of {@code a}, copied block by block into memory owned by {@code arena}. */
    static MemorySegment toBytes(NDArray a, Arena arena) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        long[] shape = f.getShape().getShape();
        long count = f.getShape().size();
        MemorySegment out = arena.allocate(count * 4, 4);
        if (count <= BLOCK_ELEMENTS || shape.length == 0) {
            MemorySegment.copy(f.toFloatArray(), 0, out, F32, 0, (int) count);
            return out;
        }
        long rowElements = count / shape[0];
        long rowsPerBlock = Math.max(1, BLOCK_ELEMENTS / Math.max(1, rowElements));
        for (long r = 0; r < shape[0]; r += rowsPerBlock) {
            long n = Math.min(rowsPerBlock, shape[0] - r);
            try (NDArray block = f.get(new NDIndex("{}:{}", r, r + n))) {
                float[] values = block.toFloatArray();
                MemorySegment.copy(values, 0, out, F32, r * rowElements * 4, values.length);
            }
        }
        return out;
    }
}
