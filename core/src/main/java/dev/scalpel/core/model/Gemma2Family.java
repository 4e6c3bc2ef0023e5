package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;

import java.util.List;

/**
 * Gemma 2 (transformers' Gemma2ForCausalLM): the Llama layout with norm weights stored as offsets from one, a norm
 * before and after both attention and MLP, soft caps and alternating sliding-window layers. Its projections' outputs
 * are hooked before the post-norms ({@link HookNames#ATTN_PROJECTION}, {@link HookNames#MLP_PROJECTION}), which is
 * where the linear modules end.
 */
final class Gemma2Family extends LlamaFamily {
    static final String PRE_FEEDFORWARD_NORM = "pre_feedforward_layernorm";
    static final String POST_FEEDFORWARD_NORM = "post_feedforward_layernorm";

    private static final List<String> BLOCK_HOOKS = List.of(RESID_PRE, LN1, Q, K, V, ROT_Q, ROT_K, ATTN_SCORES, PATTERN,
            Z, ATTN_PROJECTION, LN1_POST, ATTN_OUT, RESID_MID, LN2, MLP_PRE, MLP_PRE_LINEAR, MLP_POST, MLP_PROJECTION,
            LN2_POST, MLP_OUT, RESID_POST);

    @Override
    public ModelConfig readConfig(Architecture arch, HfConfig c) {
        int d = c.requirePositiveInt("hidden_size");
        int heads = c.requirePositiveInt("num_attention_heads");
        int layers = c.requirePositiveInt("num_hidden_layers");
        int headDim = c.has("head_dim") ? c.requirePositiveInt("head_dim") : 256;
        List<String> types = ModelConfigs.layerTypes(c, layers, i -> (i + 1) % 2 == 1 ? "sliding_attention" : "full_attention");
        double queryScalar = c.doubleOr("query_pre_attn_scalar", 256);
        return new ModelConfig(arch, c, c.requirePositiveInt("vocab_size"), d, layers, heads,
                ModelConfigs.kvHeads(c, heads), headDim, c.requirePositiveInt("intermediate_size"),
                c.intOr("max_position_embeddings", 8192), c.doubleOr("rms_norm_eps", 1e-6),
                c.stringOr("hidden_activation", c.stringOr("hidden_act", "gelu_pytorch_tanh")),
                Rope.from(c, 10000.0), c.boolOr("tie_word_embeddings", true), c.boolOr("attention_bias", false),
                false, ModelConfigs.windowsFor(types, c.intOr("sliding_window", 4096)),
                c.doubleOr("attn_logit_softcapping", 0), c.doubleOr("final_logit_softcapping", 0),
                Math.pow(queryScalar, -0.5), 0, c.optionalInt("bos_token_id").orElse(null),
                c.tokenIds("eos_token_id"), c.optionalInt("pad_token_id").orElse(null));
    }

    @Override
    ParameterLayout.Init normInit() {
        return ParameterLayout.Init.ZEROS;
    }

    @Override
    List<String> extraBlockNorms() {
        return List.of(PRE_FEEDFORWARD_NORM, POST_FEEDFORWARD_NORM);
    }

    @Override
    List<String> blockHooks() {
        return BLOCK_HOOKS;
    }

    @Override
    String attentionProjectionHook() {
        return ATTN_PROJECTION;
    }

    @Override
    String mlpProjectionHook() {
        return MLP_PROJECTION;
    }

    @Override
    public TransformerModel create(ModelConfig config, Parameters params) {
        return new Gemma2Model(config, params);
    }
}
