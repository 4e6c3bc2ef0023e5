package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;

import dev.scalpel.core.model.LinearModule.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Llama family (transformers' LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM): config keys, parameters,
 * hook points and linear modules. Mistral slides a window on every layer; Qwen2 adds q/k/v biases and may slide on some
 * layers. Gemma 2 extends this family.
 */
class LlamaFamily implements ModelFamily {
    static final String TOKEN_EMBEDDING = "model.embed_tokens";
    static final String FINAL_NORM_MODULE = "model.norm";
    static final String LM_HEAD = "lm_head";
    // Inside a block (prefix layer(i)).
    static final String INPUT_NORM = "input_layernorm";
    static final String Q_PROJ = "self_attn.q_proj";
    static final String K_PROJ = "self_attn.k_proj";
    static final String V_PROJ = "self_attn.v_proj";
    static final String O_PROJ = "self_attn.o_proj";
    static final String POST_ATTENTION_NORM = "post_attention_layernorm";
    static final String GATE_PROJ = "mlp.gate_proj";
    static final String UP_PROJ = "mlp.up_proj";
    static final String DOWN_PROJ = "mlp.down_proj";

    private static final List<String> BLOCK_HOOKS = List.of(RESID_PRE, LN1, Q, K, V, ROT_Q, ROT_K, ATTN_SCORES, PATTERN, Z,
            ATTN_OUT, RESID_MID, LN2, MLP_PRE, MLP_PRE_LINEAR, MLP_POST, MLP_OUT, RESID_POST);

    /** The parameter prefix of block {@code i}. */
    static String layer(int i) {
        return "model.layers." + i + ".";
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
        int headDim = c.has("head_dim") ? c.requirePositiveInt("head_dim") : d / heads;
        List<Integer> windows = switch (arch) {
            case MISTRAL -> Collections.nCopies(layers, c.intOr("sliding_window", 0));
            case QWEN2 -> qwen2Windows(c, layers);
            default -> Collections.nCopies(layers, 0);
        };
        boolean qkvBias = arch == Architecture.QWEN2 || c.boolOr("attention_bias", false);
        return new ModelConfig(arch, c, c.requirePositiveInt("vocab_size"), d, layers, heads,
                ModelConfigs.kvHeads(c, heads), headDim, c.requirePositiveInt("intermediate_size"),
                c.intOr("max_position_embeddings", 2048), c.doubleOr("rms_norm_eps", 1e-6),
                c.stringOr("hidden_act", "silu"), Rope.from(c, 10000.0),
                c.boolOr("tie_word_embeddings", false), qkvBias, c.boolOr("mlp_bias", false), windows, 0, 0,
                1.0 / Math.sqrt(headDim), 0, c.optionalInt("bos_token_id").orElse(null),
                c.tokenIds("eos_token_id"), c.optionalInt("pad_token_id").orElse(null));
    }

    private static List<Integer> qwen2Windows(HfConfig c, int layers) {
        int window = c.intOr("sliding_window", 0);
        if (!c.boolOr("use_sliding_window", false) || window == 0) {
            return Collections.nCopies(layers, 0);
        }
        List<String> types = ModelConfigs.layerTypes(c, layers, i -> i >= c.intOr("max_window_layers", layers)
                ? "sliding_attention" : "full_attention");
        return ModelConfigs.windowsFor(types, window);
    }

    /** Whether the attention's output projection has a bias: Llama's attention_bias covers it, Qwen2's q/k/v bias does not. */
    static boolean outputBias(ModelConfig c) {
        return c.qkvBias() && c.architecture() == Architecture.LLAMA;
    }

    /** How norm weights start: ones, or zeros where they are stored as offsets from one (Gemma). */
    ParameterLayout.Init normInit() {
        return ParameterLayout.Init.ONES;
    }

    /** Norms a block has besides the input and post-attention ones (Gemma 2's sandwich norms). */
    List<String> extraBlockNorms() {
        return List.of();
    }

    @Override
    public ParameterLayout layout(ModelConfig c) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inner = c.intermediateSize();
        ParameterLayout.Init norm = normInit();
        // The order is transformers' registration order, weights before biases: initialization draws in this order.
        ParameterLayout p = new ParameterLayout().normal(TOKEN_EMBEDDING + ".weight", c.vocabSize(), d);
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            p.normWeight(w + INPUT_NORM + ".weight", d, norm)
                    .normal(w + Q_PROJ + ".weight", q, d)
                    .normal(w + K_PROJ + ".weight", kv, d)
                    .normal(w + V_PROJ + ".weight", kv, d);
            if (c.qkvBias()) {
                p.zeros(w + Q_PROJ + ".bias", q).zeros(w + K_PROJ + ".bias", kv).zeros(w + V_PROJ + ".bias", kv);
            }
            p.normal(w + O_PROJ + ".weight", d, q);
            if (outputBias(c)) {
                p.zeros(w + O_PROJ + ".bias", d);
            }
            p.normWeight(w + POST_ATTENTION_NORM + ".weight", d, norm);
            for (String extra : extraBlockNorms()) {
                p.normWeight(w + extra + ".weight", d, norm);
            }
            p.normal(w + GATE_PROJ + ".weight", inner, d)
                    .normal(w + UP_PROJ + ".weight", inner, d)
                    .normal(w + DOWN_PROJ + ".weight", d, inner);
            if (c.mlpBias()) {
                p.zeros(w + GATE_PROJ + ".bias", inner).zeros(w + UP_PROJ + ".bias", inner).zeros(w + DOWN_PROJ + ".bias", d);
            }
        }
        p.normWeight(FINAL_NORM_MODULE + ".weight", d, norm);
        if (!c.tiedEmbeddings()) {
            p.normal(LM_HEAD + ".weight", c.vocabSize(), d);
        }
        return p;
    }

    @Override
    public String tokenEmbedding() {
        return TOKEN_EMBEDDING + ".weight";
    }

    /** Older checkpoints store the rotary inverse frequencies, which are computed from the config instead. */
    @Override
    public String canonicalName(String stored) {
        return stored.endsWith("rotary_emb.inv_freq") ? null : stored;
    }

    List<String> blockHooks() {
        return BLOCK_HOOKS;
    }

    @Override
    public final List<String> hookPoints(ModelConfig c) {
        return inForwardOrder(List.of(EMBED), blockHooks(), c.numLayers(), List.of(FINAL_NORM));
    }

    /** The hook point holding the attention's output projection (before any post-norm). */
    String attentionProjectionHook() {
        return ATTN_OUT;
    }

    /** The hook point holding the MLP's down projection (before any post-norm). */
    String mlpProjectionHook() {
        return MLP_OUT;
    }

    @Override
    public final List<LinearModule> linearModules(ModelConfig c) {
        int d = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int inner = c.intermediateSize();
        boolean qkvBias = c.qkvBias();
        boolean mlpBias = c.mlpBias();
        List<LinearModule> modules = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            modules.add(LinearModule.of(w + Q_PROJ, i, Role.QUERY, qkvBias, false, d, q, LN1, Q));
            modules.add(LinearModule.of(w + K_PROJ, i, Role.KEY, qkvBias, false, d, kv, LN1, K));
            modules.add(LinearModule.of(w + V_PROJ, i, Role.VALUE, qkvBias, false, d, kv, LN1, V));
            modules.add(LinearModule.of(w + O_PROJ, i, Role.ATTENTION_OUT, outputBias(c), false, q, d, Z,
                    attentionProjectionHook()));
            modules.add(LinearModule.of(w + GATE_PROJ, i, Role.MLP_GATE, mlpBias, false, d, inner, LN2, MLP_PRE));
            modules.add(LinearModule.of(w + UP_PROJ, i, Role.MLP_UP, mlpBias, false, d, inner, LN2, MLP_PRE_LINEAR));
            modules.add(LinearModule.of(w + DOWN_PROJ, i, Role.MLP_DOWN, mlpBias, false, inner, d, MLP_POST,
                    mlpProjectionHook()));
        }
        return modules;
    }

    @Override
    public TransformerModel create(ModelConfig config, Parameters params) {
        return new LlamaModel(config, params);
    }
}
