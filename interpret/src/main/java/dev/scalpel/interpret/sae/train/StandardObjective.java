package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.function.LongToDoubleFunction;

/**
 * SAELens's standard loss with Anthropic's April 2024 sparsity penalty: the squared error summed over d_in (mean over
 * rows) plus lambda times sum_i f_i |W_dec,i| (mean over rows). Weighting each latent by its decoder norm stops the
 * optimizer from shrinking activations while growing decoder rows to dodge the penalty. lambda warms up linearly.
 */
final class StandardObjective implements SaeObjective {
    private final LongToDoubleFunction lambda;

    StandardObjective(LongToDoubleFunction lambda) {
        this.lambda = lambda;
    }

    @Override
    public Terms loss(SparseAutoencoder sae, NDArray x, NDArray pre, NDArray f, NDArray xHat, float[] deadMask,
                      long step) {
        NDArray reconstruction = xHat.sub(x).square().sum(new int[] {1}).mean();
        NDArray decoderNorms = sae.wDec().norm(new int[] {1});                            // [d_sae]
        NDArray sparsity = Scalars.mul(f.mul(decoderNorms).sum(new int[] {1}).mean(), (float) lambda.applyAsDouble(step));
        return new Terms(reconstruction.add(sparsity), reconstruction, sparsity);
    }
}
