package dev.scalpel.lab.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.lab.corpus.MixWeights;
import java.util.List;

/**
 * One lab model's recipe: architecture (a config.json), data mix, sequence and batch sizes, and training schedule.
 * Sizes were chosen so that the default build of both models fits in 30 minutes on 2 cores.
 *
 * @param objective "causal" (next-token) or "mdlm" (masked diffusion)
 */
public record LabSpec(String name, LabProfile profile, String objective, ObjectNode config, MixWeights mix,
                      int sequenceLength, int batchSize, TrainingConfig training, int maxFactsEvaluated,
                      int maxProblemsPerLevel) {

    public static final List<String> NAMES = List.of("lab-lm", "lab-mdlm");
    public static final long SEED = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static LabSpec of(String name, LabProfile profile) {
        boolean tiny = profile == LabProfile.TINY;
        return switch (name) {
            // By document: fact documents are ~80 tokens, problems ~65, glosses ~25. The default recipe is tuned for
            // arithmetic (docs/reproductions/lab/README.md): optimizer steps and a peak LR of 1e-3 decide it, so the
            // batch is small and the steps many; text gets the smallest share, which costs perplexity.
            case "lab-lm" -> new LabSpec(name, profile, "causal", llamaConfig(profile, tiny),
                    tiny ? new MixWeights(0.45, 0.30, 0.25) : new MixWeights(0.15, 0.30, 0.55), tiny ? 64 : 128,
                    tiny ? 8 : 16, training(tiny ? 40 : 2900, tiny ? 4 : 150, tiny ? 3e-3 : 1e-3, tiny),
                    tiny ? 64 : 5000, tiny ? 8 : 300);
            case "lab-mdlm" -> new LabSpec(name, profile, "mdlm", bertConfig(profile, tiny),
                    new MixWeights(0.6, 0.25, 0.15), tiny ? 64 : 128, tiny ? 8 : 32,
                    training(tiny ? 40 : 420, tiny ? 4 : 50, tiny ? 3e-3 : 2e-3, tiny), 0, 0);
            default -> throw new ScalpelException("unknown lab model '" + name + "' (known: " + NAMES + ")");
        };
    }

    private static TrainingConfig training(long steps, long warmup, double lr, boolean tiny) {
        return new TrainingConfig(steps, 1, lr, warmup, 0.1, 1.0, AdamW.Config.defaults(), tiny ? 20 : 100,
                tiny ? 0 : 1_000_000, SEED);
    }

    /** A Llama-architecture causal LM (about 5.9M parameters by default). */
    private static ObjectNode llamaConfig(LabProfile profile, boolean tiny) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama").put("vocab_size", profile.vocabSize()).put("hidden_size", tiny ? 32 : 256)
                .put("num_hidden_layers", tiny ? 2 : 6).put("num_attention_heads", tiny ? 4 : 8)
                .put("num_key_value_heads", tiny ? 4 : 8).put("head_dim", tiny ? 8 : 32)
                .put("intermediate_size", tiny ? 64 : 704).put("max_position_embeddings", 512)
                .put("rms_norm_eps", 1e-5).put("hidden_act", "silu").put("tie_word_embeddings", true)
                .put("initializer_range", 0.02).put("bos_token_id", 0).put("eos_token_id", 1).put("pad_token_id", 2)
                .put("attention_bias", false).put("mlp_bias", false).put("torch_dtype", "float32");
        c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 10000.0);
        return c;
    }

    /** A BERT masked LM trained as a masked diffusion LM (MDLM), about 5.8M parameters by default. */
    private static ObjectNode bertConfig(LabProfile profile, boolean tiny) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("BertForMaskedLM");
        c.put("model_type", "bert").put("vocab_size", profile.vocabSize()).put("hidden_size", tiny ? 32 : 256)
                .put("num_hidden_layers", tiny ? 2 : 6).put("num_attention_heads", tiny ? 4 : 8)
                .put("intermediate_size", tiny ? 64 : 1024).put("max_position_embeddings", tiny ? 64 : 128)
                .put("type_vocab_size", 1).put("layer_norm_eps", 1e-12).put("hidden_act", "gelu")
                .put("tie_word_embeddings", true).put("initializer_range", 0.02).put("pad_token_id", 2)
                .put("position_embedding_type", "absolute").put("torch_dtype", "float32")
                .put("hidden_dropout_prob", 0.0).put("attention_probs_dropout_prob", 0.0);
        // What the MDLM sampler needs to know, kept with the weights.
        c.put("mask_token_id", 3).put("diffusion", "mdlm").put("noise_schedule", "loglinear");
        return c;
    }
}
