package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a Java number that is safe inside an autograd graph; use these instead of DJL's {@code Number}
 * overloads of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}.
 *
 * <p>DJL implements {@code x.mul(0.5)} as {@code x.mul(manager.create(0.5))} and closes the scalar at once; the scalar
 * borrows a direct buffer (see {@link OwnedArrays}), and libtorch's multiplication saves it for the backward pass. The
 * next garbage collection frees the buffer, and a backward pass that runs after it multiplies by whatever was written
 * there since: the intermittent NaN (GELU's {@code x.mul(0.5)}, attention's {@code scores.mul(scale)}, the trainer's
 * {@code loss.div(accumulation)} were all in every graph). Here the scalar is libtorch's own, so the saved copy stays
 * valid however long the graph lives. The numbers are those of DJL's overloads (same scalar type, same operation).
 * NoBorrowedScalarsTest checks that no Scalpel class calls the overloads.
 */
public final class Scalars {
    private Scalars() {
    }

    public static NDArray mul(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.mul(s);
        }
    }

    public static NDArray div(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.div(s);
        }
    }

    public static NDArray pow(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.pow(s);
        }
    }

    public static NDArray maximum(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.maximum(s);
        }
    }

    public static NDArray minimum(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.minimum(s);
        }
    }

    /** In place; returns {@code x}. */
    public static NDArray muli(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.muli(s);
        }
    }

    /** In place; returns {@code x}. */
    public static NDArray divi(NDArray x, Number value) {
        try (NDArray s = scalar(x, value)) {
            return x.divi(s);
        }
    }

    private static NDArray scalar(NDArray like, Number value) {
        return OwnedArrays.own(like.getManager().create(value));
    }
}
