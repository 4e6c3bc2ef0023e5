package dev.scalpel.interpret.sae.train;

import ai.djl.ndarray.NDArray;
import dev.scalpel.interpret.sae.SparseAutoencoder;

/** What a training step minimizes, given one batch's forward pass. */
interface SaeObjective {
    /**
     * @param x the batch [n, d_in]
     * @param pre pre-activations [n, d_sae]
     * @param f latent activations [n, d_sae]
     * @param xHat the reconstruction [n, d_in]
     * @param deadMask 1 for dead latents [d_sae] (as of this batch)
     */
    Terms loss(SparseAutoencoder sae, NDArray x, NDArray pre, NDArray f, NDArray xHat, float[] deadMask, long step);

    /** The loss and its two terms (all scalars, the total differentiable). */
    record Terms(NDArray total, NDArray reconstruction, NDArray sparsity) {
    }
}
