package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The inputs of one forward pass.
 *
 * @param inputIds token ids [B, Q] (int64 or int32)
 * @param attentionMask 1 for real tokens, 0 for padding, over every position the pass can see: [B, past + Q] with a
 *     cache, [B, Q] without; null means no padding
 * @param positionIds positions [B, Q]; null derives them: from the attention mask when there is one (padding does not
 *     advance positions, as in transformers' generate), otherwise {@code past .. past + Q - 1}
 * @param tokenTypeIds BERT's segment ids [B, Q], or null for all zeros
 * @param cache keys and values of earlier positions (decoders only), or null
 * @param lastPositionOnly compute logits for the last position only (generation does not need the others)
 */
public record ForwardRequest(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray tokenTypeIds,
                             KvCache cache, boolean lastPositionOnly) {

    public static ForwardRequest of(NDArray inputIds) {
        return new ForwardRequest(inputIds, null, null, null, null, false);
    }

    public ForwardRequest withAttentionMask(NDArray mask) {
        return new ForwardRequest(inputIds, mask, positionIds, tokenTypeIds, cache, lastPositionOnly);
    }

    public ForwardRequest withPositionIds(NDArray positions) {
        return new ForwardRequest(inputIds, attentionMask, positions, tokenTypeIds, cache, lastPositionOnly);
    }

    public ForwardRequest withTokenTypeIds(NDArray types) {
        return new ForwardRequest(inputIds, attentionMask, positionIds, types, cache, lastPositionOnly);
    }

    public ForwardRequest withCache(KvCache kv) {
        return new ForwardRequest(inputIds, attentionMask, positionIds, tokenTypeIds, kv, lastPositionOnly);
    }

    public ForwardRequest withLastPositionOnly(boolean last) {
        return new ForwardRequest(inputIds, attentionMask, positionIds, tokenTypeIds, cache, last);
    }
}
