package dev.scalpel.core.io.onnx;

import dev.scalpel.core.io.DType;
import java.util.Arrays;
import java.util.Objects;

/** An initializer of an ONNX graph as listed in {@link OnnxGraph}: its name, element type and shape. */
public record OnnxInitializer(String name, DType dtype, long[] dims) {

    public OnnxInitializer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int index) {
        return dims[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OnnxInitializer that && name.equals(that.name) && dtype == that.dtype
                && Arrays.equals(dims, that.dims);
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
