package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The outputs of one forward pass, owned by the manager the caller passed in.
 *
 * @param logits [B, Q, V] (or [B, 1, V] when only the last position was asked for); null for encoders without a
 *     language-model head
 * @param hidden the final hidden state [B, Q, D], after the final norm where the architecture has one
 */
public record ForwardResult(NDArray logits, NDArray hidden) implements AutoCloseable {
    @Override
    public void close() {
        if (logits != null) {
            logits.close();
        }
        hidden.close();
    }
}
