package dev.scalpel.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.TransformerModel;

/**
 * What a training step minimizes on one batch of token ids. Implementations must be deterministic for a given
 * {@code step} (randomness, such as masking, is seeded from it) so that an interrupted run resumes exactly.
 */
@FunctionalInterface
public interface Objective {
    /**
     * @param ids [B, S] token ids
     * @param step the optimizer step (and micro-batch) being computed, to seed any randomness
     * @return a scalar loss, differentiable with respect to the model's parameters
     */
    NDArray loss(TransformerModel model, NDArray ids, long step, NDManager manager);

    /** Next-token cross-entropy of a causal language model. */
    static Objective nextToken() {
        return (model, ids, step, manager) -> Losses.nextTokenCrossEntropy(
                model.forward(dev.scalpel.core.model.ForwardRequest.of(ids), manager).logits(), ids, null);
    }
}
