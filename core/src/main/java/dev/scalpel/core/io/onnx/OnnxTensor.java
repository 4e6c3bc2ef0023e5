package dev.scalpel.core.io.onnx;

import dev.scalpel.core.io.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor read from an ONNX file: an initializer, or the value of a {@code Constant} node.
 *
 * @param dims the shape, row-major; empty for a scalar
 * @param data the elements as little-endian bytes, exactly {@code elementCount() * dtype.byteSize()} of them. The data
 *     of an initializer handed to a reader's consumer is valid only during that call (it lives in memory the reader
 *     reuses); copy what you keep
 */
public record OnnxTensor(String name, DType dtype, long[] dims, MemorySegment data) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public OnnxTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        return elementCount(dims);
    }

    static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape and type without the data, for listings that outlive the data. */
    public OnnxInitializer info() {
        return new OnnxInitializer(name, dtype, dims);
    }

    /** The values of a float32 or float64 tensor as floats. */
    public float[] toFloats() {
        int n = Math.toIntExact(elementCount());
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) data.get(F64, (long) i * Double.BYTES);
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not floating point");
        }
        return out;
    }

    /** The values of an int64 or int32 tensor as longs. */
    public long[] toLongs() {
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        switch (dtype) {
            case I64 -> MemorySegment.copy(data, I64, 0, out, 0, n);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get(I32, (long) i * Integer.BYTES);
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not an integer type");
        }
        return out;
    }

    // Records compare arrays by identity; a tensor read from a file is a value.
    @Override
    public boolean equals(Object other) {
        return other instanceof OnnxTensor that && name.equals(that.name) && dtype == that.dtype
                && Arrays.equals(dims, that.dims) && data.byteSize() == that.data.byteSize()
                && data.mismatch(that.data) == -1;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(dims));
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(dims);
    }
}
