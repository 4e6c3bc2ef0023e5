package dev.scalpel.core.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The model families Scalpel runs, keyed by the {@code model_type} of config.json. */
public enum Architecture {
    GPT2("gpt2", true),
    LLAMA("llama", true),
    MISTRAL("mistral", true),
    QWEN2("qwen2", true),
    GEMMA2("gemma2", true),
    BERT("bert", false);

    private final String modelType;
    private final boolean causal;

    Architecture(String modelType, boolean causal) {
        this.modelType = modelType;
        this.causal = causal;
    }

    public String modelType() {
        return modelType;
    }

    /** Whether the model is a left-to-right language model that can generate. */
    public boolean isCausal() {
        return causal;
    }

    /** The architecture of a config's {@code model_type}; an error listing the supported ones otherwise. */
    public static Architecture fromModelType(Path configFile, String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType)) {
                return a;
            }
        }
        String known = Arrays.stream(values()).map(Architecture::modelType).collect(Collectors.joining(", "));
        throw new ConfigException(configFile, "unknown model_type '" + modelType + "' (supported: " + known + ")");
    }
}
