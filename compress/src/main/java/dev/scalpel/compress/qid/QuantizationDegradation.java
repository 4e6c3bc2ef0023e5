package dev.scalpel.compress.qid;

import dev.scalpel.core.eval.Perplexity;
import dev.scalpel.core.model.TransformerModel;

/** QiD: the quantized model's next-token loss minus the full-precision model's, on the same held-out tokens. */
public final class QuantizationDegradation {
    private QuantizationDegradation() {
    }

    /**
     * The mean next-token loss (nats per token) on {@code heldOut} cut into windows of {@code window} tokens,
     * {@code rows} windows a batch.
     */
    public static double loss(TransformerModel model, int[] heldOut, int window, int rows) {
        return Math.log(Perplexity.ofStream(model, heldOut, window, rows));
    }

    /** QiD from the two losses, as the paper defines it. */
    public static double of(double fullPrecisionLoss, double quantizedLoss) {
        return quantizedLoss - fullPrecisionLoss;
    }
}
