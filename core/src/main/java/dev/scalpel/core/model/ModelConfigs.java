package dev.scalpel.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link ModelConfig} from config.json: the {@code model_type} picks the family, which reads its keys with
 * transformers' defaults ({@link ModelFamily#readConfig}); the checks every architecture shares are here, with the
 * helpers for per-layer attention types.
 */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    public static ModelConfig read(HfConfig c) {
        Architecture arch = Architecture.fromModelType(c.file(), c.requireString("model_type"));
        ModelConfig config = arch.family().readConfig(arch, c);
        validate(config);
        return config;
    }

    static List<String> layerTypes(HfConfig c, int layers, java.util.function.IntFunction<String> fallback) {
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

    static List<Integer> windowsFor(List<String> types, int window) {
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
    static int kvHeads(HfConfig c, int heads) {
        int kv = c.has("num_key_value_heads") ? c.requirePositiveInt("num_key_value_heads") : heads;
        if (heads % kv != 0) {
            throw new ConfigException(c.file(), "num_attention_heads (" + heads + ") is not a multiple of "
                    + "num_key_value_heads (" + kv + ")");
        }
        return kv;
    }
}
