package dev.scalpel.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.BatchSource;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.PackedBatches;

/**
 * exp(mean loss) of a model on held-out batches: next-token perplexity for a causal LM, or the perplexity bound of a
 * masked-diffusion LM when the objective is its (seeded) diffusion loss. The mean is over batches of equal size, each
 * batch's loss being the objective's mean over its tokens.
 */
public final class Perplexity {
    private Perplexity() {
    }

    /** Over batches {@code 0 .. count-1} of {@code batches}. */
    public static double of(TransformerModel model, Objective objective, BatchSource batches, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("perplexity needs at least one batch: " + count);
        }
        double total = 0;
        for (long i = 0; i < count; i++) {
            try (NDManager m = model.newManager()) {
                NDArray ids = m.create(batches.batch(i)).reshape(batches.batchSize(), batches.sequenceLength());
                total += objective.loss(model, ids, i, m).getFloat();
            }
        }
        return Math.exp(total / count);
    }

    /**
     * Next-token perplexity over a token stream cut into windows of {@code sequenceLength}, {@code rows} windows a batch,
     * each distinct window once (at least one batch, wrapping round when the stream holds fewer than {@code rows}).
     */
    public static double ofStream(TransformerModel model, int[] stream, int sequenceLength, int rows) {
        if (sequenceLength > model.config().maxPositions()) {
            throw new IllegalArgumentException("perplexity windows of " + sequenceLength + " tokens do not fit the model's "
                    + model.config().maxPositions() + " positions; use windows of at most that");
        }
        PackedBatches windows = new PackedBatches(stream, rows, sequenceLength);
        return of(model, Objective.nextToken(), windows, Math.max(1, windows.windows() / rows));
    }
}
