package dev.scalpel.core.io;

import dev.scalpel.core.ScalpelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Decodes a tensor's little-endian bytes into Java arrays. Layouts are unaligned because nothing in
 * the format forces a tensor's offset to be a multiple of its element size.
 */
final class TensorValues {
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TensorValues() {}

    static float[] toFloats(TensorInfo info, MemorySegment bytes) {
        int n = arrayLength(info);
        float[] out = new float[n];
        switch (info.dtype()) {
            case F32 -> MemorySegment.copy(bytes, F32, 0, out, 0, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bytes.getAtIndex(F64, i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(bytes.getAtIndex(I16, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = BFloat16.toFloat(bytes.getAtIndex(I16, i));
                }
            }
            default -> {
                long[] longs = toLongs(info, bytes);
                for (int i = 0; i < n; i++) {
                    out[i] = longs[i];
                }
            }
        }
        return out;
    }

    static long[] toLongs(TensorInfo info, MemorySegment bytes) {
        if (info.dtype().isFloatingPoint()) {
            throw new ScalpelException("tensor '" + info.name() + "' is " + info.dtype()
                    + "; integer values are only read from integer or BOOL tensors");
        }
        int n = arrayLength(info);
        long[] out = new long[n];
        switch (info.dtype()) {
            case I64 -> MemorySegment.copy(bytes, I64, 0, out, 0, n);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getAtIndex(I32, i);
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getAtIndex(I16, i);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.get(ValueLayout.JAVA_BYTE, i);
                }
            }
            case U8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Byte.toUnsignedLong(bytes.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            // Any non-zero byte is true, as numpy and torch read it.
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalStateException("unhandled dtype " + info.dtype());
        }
        return out;
    }

    private static int arrayLength(TensorInfo info) {
        long count = info.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new ScalpelException("tensor '" + info.name() + "' has " + count
                    + " elements, too many for a Java array; read it through its MemorySegment instead");
        }
        return (int) count;
    }
}
