package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * The geometric median of points, the point minimizing the sum of Euclidean distances to them, by Weiszfeld's
 * iterations: y <- sum(w_i x_i) / sum(w_i) with w_i = 1 / max(|x_i - y|, eps), from the mean. OpenAI initializes a
 * TopK SAE's b_pre with it: unlike the mean, a few far-out activations barely move it.
 */
public final class GeometricMedian {
    /** Distances are floored here, as in the geom_median package, so that landing on a point does not divide by 0. */
    static final double EPS = 1e-8;

    private GeometricMedian() {
    }

    /** The median of the rows of {@code points [n, d]}: at most 100 iterations, until the objective moves by < 1e-7. */
    public static float[] of(NDArray points) {
        return of(points, 100, 1e-7);
    }

    /**
     * @param tolerance stop when the sum of distances improves by less than this fraction of itself
     */
    public static float[] of(NDArray points, int maxIterations, double tolerance) {
        if (points.getShape().dimension() != 2 || points.getShape().get(0) == 0) {
            throw new IllegalArgumentException("points must be [n, d] with n > 0, got " + points.getShape());
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray y = points.mean(new int[] {0});
            double previous = Double.POSITIVE_INFINITY;
            for (int i = 0; i < maxIterations; i++) {
                NDArray distances = points.sub(y).norm(new int[] {1});                   // [n]
                double objective = distances.sum().getFloat();
                if (previous - objective <= tolerance * objective) {
                    break;
                }
                previous = objective;
                NDArray weights = Scalars.pow(Scalars.maximum(distances, (float) EPS), -1f).expandDims(1);   // [n, 1]
                y = points.mul(weights).sum(new int[] {0}).div(weights.sum());
            }
            return y.toFloatArray();
        }
    }
}
