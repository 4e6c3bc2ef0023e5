package dev.scalpel.core.io;

import java.util.Arrays;

/** Arithmetic on tensor shapes, overflow-checked because headers come from untrusted files. */
final class Shapes {
    private Shapes() {}

    /**
     * Product of the dimensions.
     *
     * @throws ArithmeticException if the product does not fit in a long
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /**
     * Bytes needed for a tensor of this shape and dtype.
     *
     * @throws ArithmeticException if the size does not fit in a long
     */
    static long byteSize(long[] shape, DType dtype) {
        return Math.multiplyExact(elementCount(shape), (long) dtype.byteSize());
    }

    static String format(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }
}
