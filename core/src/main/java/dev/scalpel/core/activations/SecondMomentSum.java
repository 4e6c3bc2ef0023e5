package dev.scalpel.core.activations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.Scalars;

/**
 * A running sum of x x^T over activation rows, kept on the engine (float32, one matmul a batch) and read out as a
 * float64 {@link Matrix}: knowledge editing's C0 = sum(k k^T) / n, and the statistic GPTQ's Hessian H = 2 X X^T / n
 * is made of. Rows may be weighted (0 leaves a padded position out). The running sum and its count can be saved and
 * restored, so a long collection resumes where it stopped.
 */
public final class SecondMomentSum implements AutoCloseable {
    private final NDArray sum;
    private long count;

    private SecondMomentSum(NDArray sum, long count) {
        this.sum = sum;
        this.count = count;
    }

    /** An empty sum of {@code dim x dim}, living in {@code manager}. */
    public static SecondMomentSum zeros(NDManager manager, int dim) {
        return new SecondMomentSum(manager.zeros(new Shape(dim, dim)), 0);
    }

    /** A sum saved with {@link #toFloats()} and {@link #count()}. */
    public static SecondMomentSum restore(NDManager manager, int dim, float[] sum, long count) {
        if (sum.length != (long) dim * dim) {
            throw new IllegalArgumentException("a saved " + dim + " x " + dim + " sum has " + (long) dim * dim
                    + " values, not " + sum.length);
        }
        return new SecondMomentSum(manager.create(sum, new Shape(dim, dim)), count);
    }

    /**
     * Adds {@code x^T x} of {@code rows} ({@code [..., dim]}, flattened to rows), each row multiplied by its weight.
     *
     * @param weights {@code [rows, 1]}, or null for all ones
     * @param counted how many rows this adds to the count (the real ones)
     */
    public void add(NDArray rows, NDArray weights, long counted) {
        long dim = sum.getShape().get(0);
        NDArray flat = rows.reshape(-1, dim);
        if (weights != null) {
            flat = flat.mul(weights);
        }
        sum.addi(flat.transpose().matMul(flat));
        count += counted;
    }

    public long count() {
        return count;
    }

    /** The raw sum, row-major, for saving. */
    public float[] toFloats() {
        return sum.toFloatArray();
    }

    /** sum / count (divided in float32 on the engine, then widened). */
    public Matrix mean() {
        if (count == 0) {
            throw new IllegalStateException("nothing has been added");
        }
        return Matrix.from(Scalars.div(sum, (float) count));
    }

    @Override
    public void close() {
        sum.close();
    }
}
