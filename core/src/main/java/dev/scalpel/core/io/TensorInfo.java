package dev.scalpel.core.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header; offsets relative to the start of the data section.
 * The shape is copied in and out so that a caller can never alter a parsed header.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of one dimension, without copying the whole shape. */
    public long dim(int index) {
        return shape[index];
    }

    /** Product of the dimensions: 1 for a scalar, 0 when any dimension is 0. */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** Bytes the tensor occupies in the data section, {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    // Records compare arrays by identity; a header entry is a value, so compare shapes by content.
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + "," + end + ")";
    }
}
