package dev.scalpel.core.model;

import java.util.List;

/**
 * The shape and numerics of a transformer, read from its config.json. One record serves every architecture; fields an
 * architecture does not use hold neutral values (0 for "none").
 *
 * @param slidingWindows per layer, the sliding-window size, or 0 for full attention
 * @param attentionSoftCap Gemma 2's attn_logit_softcapping, 0 for none
 * @param finalSoftCap Gemma 2's final_logit_softcapping, 0 for none
 * @param attentionScale the factor applied to q.k (1/sqrt(head_dim), or query_pre_attn_scalar^-0.5 for Gemma 2)
 * @param qkvBias whether q, k and v projections have biases (Qwen2, GPT-2, BERT)
 * @param mlpBias whether the MLP projections have biases
 */
public record ModelConfig(
        Architecture architecture,
        HfConfig source,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int maxPositions,
        double normEps,
        String activation,
        Rope rope,
        boolean tiedEmbeddings,
        boolean qkvBias,
        boolean mlpBias,
        List<Integer> slidingWindows,
        double attentionSoftCap,
        double finalSoftCap,
        double attentionScale,
        int typeVocabSize,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId) {

    /**
     * Whether this model attends left to right and can generate. A decoder (Llama, GPT-2, ...) whose config.json says
     * {@code "is_causal": false} attends in both directions, as LLaDA's masked-diffusion backbone does: Llama blocks
     * without the causal mask. transformers has no such switch, so such a checkpoint loads there as an ordinary causal
     * model and gives other logits; Scalpel's lab-mdlm is the one model that uses it (see docs/ARCHITECTURE.md).
     */
    public boolean causal() {
        return architecture.isCausal() && source.boolOr("is_causal", true);
    }

    /** The window of layer {@code i}, 0 if it attends to everything before it. */
    public int slidingWindow(int layer) {
        return slidingWindows.get(layer);
    }
}
