package dev.scalpel.core.io.npy;

import dev.scalpel.core.ScalpelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One numpy array: element type, shape and the elements' little-endian bytes in C (row-major) order, whatever order
 * the file used. The bytes live in a segment rather than a Java array so that an SAE matrix over 2 GB still loads;
 * the {@code to...} conversions are for arrays that fit a Java array.
 */
public final class NpyArray {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final NpyDType dtype;
    private final long[] shape;
    private final MemorySegment data;

    /**
     * @param data exactly {@code elementCount(shape) * dtype.byteSize()} little-endian bytes in C order
     * @throws IllegalArgumentException if the sizes disagree or a dimension is negative
     */
    public NpyArray(NpyDType dtype, long[] shape, MemorySegment data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.data = data.asReadOnly();
        long expected = Math.multiplyExact(elementCount(this.shape), (long) dtype.byteSize());
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype.descr() + " needs "
                    + expected + " bytes, got " + data.byteSize());
        }
    }

    /** A float32 array over a copy of {@code values}. */
    public static NpyArray ofFloats(long[] shape, float[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, bytes, F32, 0, values.length);
        return new NpyArray(NpyDType.FLOAT32, shape, bytes);
    }

    /** Product of the dimensions: 1 for a 0-d array, 0 when a dimension is 0. */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public NpyDType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** The elements' little-endian bytes in C order, read-only. */
    public MemorySegment data() {
        return data;
    }

    /** The values as floats: float16/float64 converted, integers converted (large ones rounded), bools 0 or 1. */
    public float[] toFloats() {
        int n = javaLength();
        float[] out = new float[n];
        switch (dtype) {
            case FLOAT32 -> MemorySegment.copy(data, F32, 0, out, 0, n);
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(data.getAtIndex(I16, i));
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) data.getAtIndex(F64, i);
                }
            }
            default -> {
                long[] longs = integers(n);
                for (int i = 0; i < n; i++) {
                    out[i] = longs[i];
                }
            }
        }
        return out;
    }

    /** The values as doubles (exact for every type except int64 beyond 2^53). */
    public double[] toDoubles() {
        int n = javaLength();
        double[] out = new double[n];
        switch (dtype) {
            case FLOAT64 -> MemorySegment.copy(data, F64, 0, out, 0, n);
            case FLOAT32, FLOAT16 -> {
                float[] f = toFloats();
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            default -> {
                long[] longs = integers(n);
                for (int i = 0; i < n; i++) {
                    out[i] = longs[i];
                }
            }
        }
        return out;
    }

    /**
     * The values as longs; uint8 is read unsigned and bool as 0 or 1.
     *
     * @throws ScalpelException for a floating-point array (rounding would hide a wrong file)
     */
    public long[] toLongs() {
        if (dtype.isFloatingPoint()) {
            throw new ScalpelException("the array is " + dtype.descr() + "; integer values are only read from integer"
                    + " or bool arrays");
        }
        return integers(javaLength());
    }

    private long[] integers(int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case INT8 -> data.get(ValueLayout.JAVA_BYTE, i);
                case UINT8 -> Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, i));
                case BOOL -> data.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
                case INT16 -> data.getAtIndex(I16, i);
                case INT32 -> data.getAtIndex(I32, i);
                case INT64 -> data.getAtIndex(I64, i);
                default -> throw new IllegalStateException("not an integer type: " + dtype);
            };
        }
        return out;
    }

    private int javaLength() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ScalpelException("the array has " + n + " elements, too many for a Java array; read it through"
                    + " data() instead");
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return dtype.descr() + Arrays.toString(shape);
    }
}
