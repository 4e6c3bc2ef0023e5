package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;

import dev.scalpel.core.model.LinearModule.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** GPT-2 (transformers' GPT2LMHeadModel): its config keys, parameters, hook points and linear modules. */
final class Gpt2Family implements ModelFamily {
    static final String TOKEN_EMBEDDING = "transformer.wte";
    static final String POSITION_EMBEDDING = "transformer.wpe";
    static final String FINAL_NORM_MODULE = "transformer.ln_f";
    static final String LM_HEAD = "lm_head";
    // Inside a block (prefix layer(i)).
    static final String LN_1 = "ln_1";
    static final String C_ATTN = "attn.c_attn";
    static final String ATTN_PROJ = "attn.c_proj";
    static final String LN_2 = "ln_2";
    static final String MLP_FC = "mlp.c_fc";
    static final String MLP_PROJ = "mlp.c_proj";

    private static final Pattern BUFFERS = Pattern.compile("(^|\\.)h\\.\\d+\\.attn\\.(bias|masked_bias)$");
    private static final List<String> BLOCK_HOOKS = List.of(RESID_PRE, LN1, Q, K, V, ATTN_SCORES, PATTERN, Z, ATTN_OUT,
            RESID_MID, LN2, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST);

    /** The parameter prefix of block {@code i}. */
    static String layer(int i) {
        return "transformer.h." + i + ".";
    }

    @Override
    public boolean causal() {
        return true;
    }

    @Override
    public boolean learnedPositions() {
        return true;
    }

    @Override
    public ModelConfig readConfig(Architecture architecture, HfConfig c) {
        int d = c.requirePositiveInt("n_embd");
        int heads = c.requirePositiveInt("n_head");
        int layers = c.requirePositiveInt("n_layer");
        int inner = c.intOr("n_inner", 4 * d);
        if (c.boolOr("scale_attn_by_inverse_layer_idx", false)) {
            throw new ConfigException(c.file(), "scale_attn_by_inverse_layer_idx=true is not supported");
        }
        double scale = c.boolOr("scale_attn_weights", true) ? 1.0 / Math.sqrt((double) d / heads) : 1.0;
        return new ModelConfig(architecture, c, c.requirePositiveInt("vocab_size"), d, layers, heads, heads, d / heads,
                inner, c.requireInt("n_positions"), c.doubleOr("layer_norm_epsilon", 1e-5),
                c.stringOr("activation_function", "gelu_new"), null, c.boolOr("tie_word_embeddings", true),
                true, true, Collections.nCopies(layers, 0), 0, 0, scale, 0,
                c.optionalInt("bos_token_id").orElse(null), c.tokenIds("eos_token_id"),
                c.optionalInt("pad_token_id").orElse(null));
    }

    @Override
    public ParameterLayout layout(ModelConfig c) {
        long d = c.hiddenSize();
        long inner = c.intermediateSize();
        // GPT-2 scales the residual projections by 1/sqrt(2 n_layer) at initialization.
        double residual = 1.0 / Math.sqrt(2.0 * c.numLayers());
        ParameterLayout p = new ParameterLayout()
                .normal(TOKEN_EMBEDDING + ".weight", c.vocabSize(), d)
                .normal(POSITION_EMBEDDING + ".weight", c.maxPositions(), d);
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            p.layerNorm(w + LN_1, d)
                    .conv1d(w + C_ATTN, d, 3 * d, 1)
                    .conv1d(w + ATTN_PROJ, d, d, residual)
                    .layerNorm(w + LN_2, d)
                    .conv1d(w + MLP_FC, d, inner, 1)
                    .conv1d(w + MLP_PROJ, inner, d, residual);
        }
        p.layerNorm(FINAL_NORM_MODULE, d);
        if (!c.tiedEmbeddings()) {
            p.normal(LM_HEAD + ".weight", c.vocabSize(), d);
        }
        return p;
    }

    @Override
    public String tokenEmbedding() {
        return TOKEN_EMBEDDING + ".weight";
    }

    /** Hub checkpoints saved from the base class lack the {@code transformer.} prefix; the attention masks are buffers. */
    @Override
    public String canonicalName(String stored) {
        if (BUFFERS.matcher(stored).find()) {
            return null;
        }
        return stored.startsWith("transformer.") || stored.startsWith(LM_HEAD + ".") ? stored : "transformer." + stored;
    }

    @Override
    public List<String> hookPoints(ModelConfig c) {
        return inForwardOrder(List.of(EMBED, POS_EMBED), BLOCK_HOOKS, c.numLayers(), List.of(FINAL_NORM));
    }

    @Override
    public List<LinearModule> linearModules(ModelConfig c) {
        int d = c.hiddenSize();
        int inner = c.intermediateSize();
        List<LinearModule> modules = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            modules.add(LinearModule.of(w + C_ATTN, i, Role.QKV, true, true, d, 3 * d, LN1, Q, K, V));
            modules.add(LinearModule.of(w + ATTN_PROJ, i, Role.ATTENTION_OUT, true, true, d, d, Z, ATTN_OUT));
            modules.add(LinearModule.of(w + MLP_FC, i, Role.MLP_UP, true, true, d, inner, LN2, MLP_PRE));
            modules.add(LinearModule.of(w + MLP_PROJ, i, Role.MLP_DOWN, true, true, inner, d, MLP_POST, MLP_OUT));
        }
        return modules;
    }

    @Override
    public TransformerModel create(ModelConfig config, Parameters params) {
        return new Gpt2Model(config, params);
    }
}
