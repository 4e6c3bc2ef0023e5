package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;

import dev.scalpel.core.model.LinearModule.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GPT-NeoX (transformers' GPTNeoXForCausalLM: EleutherAI's Pythia models): LayerNorm blocks whose attention and MLP
 * read the same residual and are added together (use_parallel_residual, the default), a fused q/k/v projection
 * interleaved per head, rotary positions on the first rotary_pct of each head's dimensions, and an untied output head
 * ({@code embed_out}).
 */
final class GptNeoxFamily implements ModelFamily {
    static final String TOKEN_EMBEDDING = "gpt_neox.embed_in";
    static final String FINAL_NORM_MODULE = "gpt_neox.final_layer_norm";
    static final String LM_HEAD = "embed_out";
    // Inside a block (prefix layer(i)).
    static final String INPUT_NORM = "input_layernorm";
    static final String POST_ATTENTION_NORM = "post_attention_layernorm";
    static final String QKV_PROJ = "attention.query_key_value";
    static final String DENSE = "attention.dense";
    static final String MLP_UP = "mlp.dense_h_to_4h";
    static final String MLP_DOWN = "mlp.dense_4h_to_h";

    /** Older checkpoints store the causal mask and the rotary frequencies as buffers. */
    private static final Pattern BUFFERS = Pattern.compile(
            "\\.attention\\.(bias|masked_bias|rotary_emb\\.inv_freq)$|^gpt_neox\\.rotary_emb\\.inv_freq$");
    private static final List<String> PARALLEL_HOOKS = List.of(RESID_PRE, LN1, QKV, Q, K, V, ROT_Q, ROT_K, ATTN_SCORES,
            PATTERN, Z, ATTN_OUT, LN2, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST);
    private static final List<String> SEQUENTIAL_HOOKS = List.of(RESID_PRE, LN1, QKV, Q, K, V, ROT_Q, ROT_K, ATTN_SCORES,
            PATTERN, Z, ATTN_OUT, RESID_MID, LN2, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST);

    static String layer(int i) {
        return "gpt_neox.layers." + i + ".";
    }

    /** Whether attention and MLP both read the block's input (x + attn(ln1 x) + mlp(ln2 x)). */
    static boolean parallelResidual(ModelConfig c) {
        return c.source().boolOr("use_parallel_residual", true);
    }

    /**
     * How many of each head's dimensions rotate: int(head_dim x rotary_pct), as transformers computes it (rotary_pct,
     * or transformers 5's partial_rotary_factor, default 0.25).
     */
    static int rotaryDims(ModelConfig c) {
        HfConfig s = c.source();
        double share = s.object("rope_parameters").map(r -> r.doubleOr("partial_rotary_factor", Double.NaN))
                .filter(v -> !Double.isNaN(v)).orElse(s.doubleOr("partial_rotary_factor", s.doubleOr("rotary_pct", 0.25)));
        int dims = (int) (c.headDim() * share);
        if (dims % 2 != 0 || dims < 0 || dims > c.headDim()) {
            throw new ConfigException(s.file(), "rotary_pct " + share + " gives " + dims + " rotary dimensions of "
                    + c.headDim() + "; it must give an even number of at most the head size");
        }
        return dims;
    }

    @Override
    public boolean causal() {
        return true;
    }

    @Override
    public boolean learnedPositions() {
        return false;
    }

    @Override
    public ModelConfig readConfig(Architecture arch, HfConfig c) {
        int d = c.requirePositiveInt("hidden_size");
        int heads = c.requirePositiveInt("num_attention_heads");
        int layers = c.requirePositiveInt("num_hidden_layers");
        if (d % heads != 0) {
            throw new ConfigException(c.file(), "hidden_size " + d + " is not a multiple of num_attention_heads " + heads);
        }
        int headDim = d / heads;
        boolean bias = c.boolOr("attention_bias", true);
        return new ModelConfig(arch, c, c.requirePositiveInt("vocab_size"), d, layers, heads, heads, headDim,
                c.intOr("intermediate_size", 4 * d), c.intOr("max_position_embeddings", 2048),
                c.doubleOr("layer_norm_eps", 1e-5), c.stringOr("hidden_act", "gelu"),
                Rope.from(c, c.doubleOr("rotary_emb_base", 10000.0)), c.boolOr("tie_word_embeddings", false), bias, true,
                Collections.nCopies(layers, 0), 0, 0, 1.0 / Math.sqrt(headDim), 0,
                c.optionalInt("bos_token_id").orElse(null), c.tokenIds("eos_token_id"),
                c.optionalInt("pad_token_id").orElse(null));
    }

    @Override
    public ParameterLayout layout(ModelConfig c) {
        long d = c.hiddenSize();
        long inner = c.intermediateSize();
        ParameterLayout p = new ParameterLayout().normal(TOKEN_EMBEDDING + ".weight", c.vocabSize(), d);
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            p.layerNorm(w + INPUT_NORM, d)
                    .layerNorm(w + POST_ATTENTION_NORM, d)
                    .linear(w + QKV_PROJ, 3 * d, d, c.qkvBias())
                    .linear(w + DENSE, d, d, c.qkvBias())
                    .linear(w + MLP_UP, inner, d, true)
                    .linear(w + MLP_DOWN, d, inner, true);
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

    @Override
    public String canonicalName(String stored) {
        return BUFFERS.matcher(stored).find() ? null : stored;
    }

    @Override
    public List<String> hookPoints(ModelConfig c) {
        return inForwardOrder(List.of(EMBED), parallelResidual(c) ? PARALLEL_HOOKS : SEQUENTIAL_HOOKS, c.numLayers(),
                List.of(FINAL_NORM));
    }

    @Override
    public List<LinearModule> linearModules(ModelConfig c) {
        int d = c.hiddenSize();
        int inner = c.intermediateSize();
        boolean bias = c.qkvBias();
        List<LinearModule> modules = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            modules.add(LinearModule.of(w + QKV_PROJ, i, Role.QKV, bias, false, d, 3 * d, LN1, QKV));
            modules.add(LinearModule.of(w + DENSE, i, Role.ATTENTION_OUT, bias, false, d, d, Z, ATTN_OUT));
            modules.add(LinearModule.of(w + MLP_UP, i, Role.MLP_UP, true, false, d, inner, LN2, MLP_PRE));
            modules.add(LinearModule.of(w + MLP_DOWN, i, Role.MLP_DOWN, true, false, inner, d, MLP_POST, MLP_OUT));
        }
        return modules;
    }

    @Override
    public TransformerModel create(ModelConfig config, Parameters params) {
        return new GptNeoxModel(config, params);
    }
}
