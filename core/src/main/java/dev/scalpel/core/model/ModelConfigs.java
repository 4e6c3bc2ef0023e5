package dev.scalpel.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a {@link ModelConfig} from config.json with each architecture's transformers defaults. */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    public static ModelConfig read(HfConfig c) {
        Architecture arch = Architecture.fromModelType(c.file(), c.requireString("model_type"));
        ModelConfig config = switch (arch) {
            case GPT2 -> gpt2(c);
            case LLAMA, MISTRAL, QWEN2 -> llamaFamily(arch, c);
            case GEMMA2 -> gemma2(c);
            case BERT -> bert(c);
        };
        validate(config);
        return config;
    }

    private static ModelConfig gpt2(HfConfig c) {
        int d = c.requirePositiveInt("n_embd");
        int heads = c.requirePositiveInt("n_head");
        int layers = c.requirePositiveInt("n_layer");
        int inner = c.intOr("n_inner", 4 * d);
        if (c.boolOr("scale_attn_by_inverse_layer_idx", false)) {
            throw new ConfigException(c.file(), "scale_attn_by_inverse_layer_idx=true is not supported");
        }
        double scale = c.boolOr("scale_attn_weights", true) ? 1.0 / Math.sqrt((double) d / heads) : 1.0;
        return new ModelConfig(Architecture.GPT2, c, c.requirePositiveInt("vocab_size"), d, layers, heads, heads, d / heads,
                inner, c.requireInt("n_positions"), c.doubleOr("layer_norm_epsilon", 1e-5),
                c.stringOr("activation_function", "gelu_new"), null, c.boolOr("tie_word_embeddings", true),
                true, true, Collections.nCopies(layers, 0), 0, 0, scale, 0,
                c.optionalInt("bos_token_id").orElse(null), c.tokenIds("eos_token_id"),
                c.optionalInt("pad_token_id").orElse(null));
    }

    private static ModelConfig llamaFamily(Architecture arch, HfConfig c) {
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
                kvHeads(c, heads), headDim, c.requirePositiveInt("intermediate_size"),
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
        List<String> types = layerTypes(c, layers, i -> i >= c.intOr("max_window_layers", layers)
                ? "sliding_attention" : "full_attention");
        return windowsFor(types, window);
    }

    private static ModelConfig gemma2(HfConfig c) {
        int d = c.requirePositiveInt("hidden_size");
        int heads = c.requirePositiveInt("num_attention_heads");
        int layers = c.requirePositiveInt("num_hidden_layers");
        int headDim = c.has("head_dim") ? c.requirePositiveInt("head_dim") : 256;
        List<String> types = layerTypes(c, layers, i -> (i + 1) % 2 == 1 ? "sliding_attention" : "full_attention");
        double queryScalar = c.doubleOr("query_pre_attn_scalar", 256);
        return new ModelConfig(Architecture.GEMMA2, c, c.requirePositiveInt("vocab_size"), d, layers, heads,
                kvHeads(c, heads), headDim, c.requirePositiveInt("intermediate_size"),
                c.intOr("max_position_embeddings", 8192), c.doubleOr("rms_norm_eps", 1e-6),
                c.stringOr("hidden_activation", c.stringOr("hidden_act", "gelu_pytorch_tanh")),
                Rope.from(c, 10000.0), c.boolOr("tie_word_embeddings", true), c.boolOr("attention_bias", false),
                false, windowsFor(types, c.intOr("sliding_window", 4096)),
                c.doubleOr("attn_logit_softcapping", 0), c.doubleOr("final_logit_softcapping", 0),
                Math.pow(queryScalar, -0.5), 0, c.optionalInt("bos_token_id").orElse(null),
                c.tokenIds("eos_token_id"), c.optionalInt("pad_token_id").orElse(null));
    }

    private static ModelConfig bert(HfConfig c) {
        int d = c.requirePositiveInt("hidden_size");
        int heads = c.requirePositiveInt("num_attention_heads");
        int layers = c.requirePositiveInt("num_hidden_layers");
        String positions = c.stringOr("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new ConfigException(c.file(), "position_embedding_type '" + positions + "' is not supported (only absolute)");
        }
        return new ModelConfig(Architecture.BERT, c, c.requirePositiveInt("vocab_size"), d, layers, heads, heads, d / heads,
                c.requirePositiveInt("intermediate_size"), c.requireInt("max_position_embeddings"),
                c.doubleOr("layer_norm_eps", 1e-12), c.stringOr("hidden_act", "gelu"), null,
                c.boolOr("tie_word_embeddings", true), true, true, Collections.nCopies(layers, 0), 0, 0,
                1.0 / Math.sqrt((double) d / heads), c.intOr("type_vocab_size", 2), null, List.of(),
                c.optionalInt("pad_token_id").orElse(null));
    }

    private static List<String> layerTypes(HfConfig c, int layers, java.util.function.IntFunction<String> fallback) {
        List<String> types = c.stringListOr("layer_types", null);
        if (types == null) {
            types = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                types.add(fallback.apply(i));
            }
        }
        if (types.size() != layers) {
            throw new ConfigException(c.file(), "layer_types has " + types.size() + " entries but num_hidden_layers is " + layers);
        }
        return types;
    }

    private static List<Integer> windowsFor(List<String> types, int window) {
        List<Integer> out = new ArrayList<>();
        for (String t : types) {
            out.add(t.equals("sliding_attention") ? window : 0);
        }
        return List.copyOf(out);
    }

    private static void validate(ModelConfig m) {
        HfConfig c = m.source();
        if (m.numHeads() <= 0 || m.hiddenSize() <= 0 || m.numLayers() <= 0 || m.vocabSize() <= 0) {
            throw new ConfigException(c.file(), "sizes must be positive (hidden " + m.hiddenSize() + ", heads "
                    + m.numHeads() + ", layers " + m.numLayers() + ", vocab " + m.vocabSize() + ")");
        }
        if (m.numKvHeads() <= 0 || m.numHeads() % m.numKvHeads() != 0) {
            throw new ConfigException(c.file(), "num_attention_heads " + m.numHeads()
                    + " is not a multiple of num_key_value_heads " + m.numKvHeads());
        }
        if (!Layers.isSupportedActivation(m.activation())) {
            throw new ConfigException(c.file(), "unsupported activation '" + m.activation() + "'");
        }
    }

    /** Grouped-query attention shares each key/value head among heads / kv_heads query heads: it must divide. */
    private static int kvHeads(HfConfig c, int heads) {
        int kv = c.has("num_key_value_heads") ? c.requirePositiveInt("num_key_value_heads") : heads;
        if (heads % kv != 0) {
            throw new ConfigException(c.file(), "num_attention_heads (" + heads + ") is not a multiple of "
                    + "num_key_value_heads (" + kv + ")");
        }
        return kv;
    }
}
