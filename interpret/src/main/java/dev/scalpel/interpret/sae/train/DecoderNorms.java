package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keeps a decoder's rows (SAELens layout {@code W_dec [d_sae, d_in]}: one row per latent, OpenAI's "columns") at a
 * fixed norm. A TopK SAE trains with unit rows: before each step the part of each row's gradient along the row is
 * removed (it could only change the norm, which the renormalization after the step undoes anyway, and it would
 * otherwise disturb Adam's moments); after the step the rows are set back to unit norm.
 */
public final class DecoderNorms {
    private DecoderNorms() {
    }

    /** Scales every row of {@code w} in place to norm {@code norm}. */
    public static void normalizeRows(NDArray w, float norm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray scale = Scalars.mul(Scalars.pow(Scalars.maximum(w.norm(new int[] {1}, true), 1e-12f), -1f), norm);   // [d_sae, 1]
            w.muli(scale);
        }
    }

    /** Removes, in place, from each row of {@code w}'s gradient its component along that row: g -= (g.w / w.w) w. */
    public static void projectOutParallelGradient(NDArray w) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = w.getGradient();
            NDArray along = w.mul(g).sum(new int[] {1}, true).div(Scalars.maximum(w.square().sum(new int[] {1}, true), 1e-24f));
            g.subi(w.mul(along));
        }
    }
}
