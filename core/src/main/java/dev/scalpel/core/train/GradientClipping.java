package dev.scalpel.core.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.scalpel.core.model.Parameters;

/** Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Scales every gradient so that their joint L2 norm is at most {@code maxNorm}; returns the norm before clipping. */
    public static double clip(Parameters params, double maxNorm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double sumSquares = 0;
            for (NDArray p : params.asMap().values()) {
                if (p.hasGradient()) {
                    sumSquares += p.getGradient().square().sum().getFloat();
                }
            }
            double norm = Math.sqrt(sumSquares);
            if (maxNorm > 0 && norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                for (NDArray p : params.asMap().values()) {
                    if (p.hasGradient()) {
                        Scalars.muli(p.getGradient(), scale);
                    }
                }
            }
            return norm;
        }
    }

    /** Sets every gradient to zero (DJL's PyTorch engine accumulates gradients across backward passes). */
    public static void zero(Parameters params) {
        params.zeroGradients();
    }
}
