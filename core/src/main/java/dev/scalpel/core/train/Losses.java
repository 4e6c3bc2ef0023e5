package dev.scalpel.core.train;

import ai.djl.ndarray.NDArray;

/** Training objectives, computed in float32 like transformers' loss functions. */
public final class Losses {
    private Losses() {
    }

    /**
     * transformers' causal-LM loss: the mean cross-entropy of predicting token t+1 from position t, over positions whose
     * target is not padding.
     *
     * @param logits [B, S, V]
     * @param ids [B, S] the sequence itself (labels = input_ids)
     * @param mask [B, S] 1 for real tokens, or null when nothing is padding
     */
    public static NDArray nextTokenCrossEntropy(NDArray logits, NDArray ids, NDArray mask) {
        long seq = logits.getShape().get(1);
        NDArray predicted = logits.get(":, :{}, :", seq - 1);                                   // [B, S-1, V]
        NDArray targets = ids.get(":, 1:").toType(ai.djl.ndarray.types.DataType.INT64, false);  // [B, S-1]
        NDArray logProbs = predicted.logSoftmax(-1);
        NDArray picked = logProbs.gather(targets.expandDims(-1), -1).squeeze(-1);               // [B, S-1]
        if (mask == null) {
            return picked.mean().neg();
        }
        NDArray weights = mask.get(":, 1:").toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return picked.mul(weights).sum().div(weights.sum()).neg();
    }
}
