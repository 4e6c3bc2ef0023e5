package dev.scalpel.core.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The architectures Scalpel runs, keyed by the {@code model_type} of config.json, each with its {@link ModelFamily}. */
public enum Architecture {
    GPT2("gpt2", new Gpt2Family()),
    LLAMA("llama", new LlamaFamily()),
    MISTRAL("mistral", new LlamaFamily()),
    QWEN2("qwen2", new LlamaFamily()),
    GEMMA2("gemma2", new Gemma2Family()),
    GPT_NEOX("gpt_neox", new GptNeoxFamily()),
    BERT("bert", new BertFamily());

    private final String modelType;
    private final ModelFamily family;

    Architecture(String modelType, ModelFamily family) {
        this.modelType = modelType;
        this.family = family;
    }

    /** The family's config reading, parameter layout, hook points and linear modules. */
    public ModelFamily family() {
        return family;
    }

    public String modelType() {
        return modelType;
    }

    /**
     * Whether the architecture is a left-to-right language model. A decoder's config may still turn the causal mask off
     * ({@link ModelConfig#causal()}); ask the model's config whether it can generate.
     */
    public boolean isCausal() {
        return family.causal();
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
