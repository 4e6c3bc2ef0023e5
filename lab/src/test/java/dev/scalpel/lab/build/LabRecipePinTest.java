package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Pins every lab recipe as the manifest serializes it: a model's manifest.json (its config, training schedule, sequence
 * and batch sizes) must stay byte-identical, or every lab model already built would describe another recipe.
 */
class LabRecipePinTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String serialized(LabSpec spec) throws JsonProcessingException {
        return spec.name() + " " + spec.profile() + " " + spec.objective() + "\nconfig " + JSON.writeValueAsString(spec.config())
                + "\ntraining " + JSON.writeValueAsString(spec.training()) + "\nmix " + JSON.writeValueAsString(spec.mix())
                + "\nsequence " + spec.sequenceLength() + " batch " + spec.batchSize() + " facts " + spec.maxFactsEvaluated()
                + " problems " + spec.maxProblemsPerLevel() + "\n" + (spec.objective().equals("mdlm") ? mdlm(spec) : "");
    }

    /** What LabBuilder judged lab-mdlm with when these sizes were ternaries on the profile. */
    private static String mdlm(LabSpec spec) {
        LabSpec.MdlmEvaluation e = spec.mdlmEvaluation();
        return "mdlm batches " + e.maxBatches() + " samples " + e.samples() + " length " + e.sampleLength() + " steps "
                + e.samplerSteps() + "\n";
    }

    @Test
    void everyRecipeKeepsItsSerializedForm() throws JsonProcessingException {
        StringBuilder all = new StringBuilder();
        for (String name : LabSpec.NAMES) {
            for (LabProfile profile : LabProfile.values()) {
                all.append(serialized(LabSpec.of(name, profile)));
            }
        }
        assertEquals(PINNED, all.toString());
    }

    private static final String PINNED = """
            lab-lm DEFAULT causal
            config {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":4100,"hidden_size":256,"num_hidden_layers":6,"num_attention_heads":8,"num_key_value_heads":8,"head_dim":32,"intermediate_size":704,"max_position_embeddings":512,"rms_norm_eps":1.0E-5,"hidden_act":"silu","tie_word_embeddings":true,"initializer_range":0.02,"bos_token_id":0,"eos_token_id":1,"pad_token_id":2,"attention_bias":false,"mlp_bias":false,"torch_dtype":"float32","rope_parameters":{"rope_type":"default","rope_theta":10000.0}}
            training {"steps":4000,"accumulation":1,"peakLearningRate":0.001,"warmupSteps":200,"minLearningRateRatio":0.1,"clipNorm":1.0,"adam":{"beta1":0.9,"beta2":0.95,"eps":1.0E-8,"weightDecay":0.1},"evalEvery":250,"checkpointEveryTokens":1000000,"seed":42}
            mix {"text":0.1,"facts":0.35,"arithmetic":0.35,"prose":0.2}
            sequence 256 batch 16 facts 5000 problems 300
            lab-lm TINY causal
            config {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":512,"hidden_size":32,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":4,"head_dim":8,"intermediate_size":64,"max_position_embeddings":512,"rms_norm_eps":1.0E-5,"hidden_act":"silu","tie_word_embeddings":true,"initializer_range":0.02,"bos_token_id":0,"eos_token_id":1,"pad_token_id":2,"attention_bias":false,"mlp_bias":false,"torch_dtype":"float32","rope_parameters":{"rope_type":"default","rope_theta":10000.0}}
            training {"steps":40,"accumulation":1,"peakLearningRate":0.003,"warmupSteps":4,"minLearningRateRatio":0.1,"clipNorm":1.0,"adam":{"beta1":0.9,"beta2":0.95,"eps":1.0E-8,"weightDecay":0.1},"evalEvery":20,"checkpointEveryTokens":0,"seed":42}
            mix {"text":0.45,"facts":0.3,"arithmetic":0.25,"prose":0.3}
            sequence 64 batch 8 facts 64 problems 8
            lab-mdlm DEFAULT mdlm
            config {"architectures":["LlamaForMaskedDiffusion"],"model_type":"llama","vocab_size":4100,"hidden_size":256,"num_hidden_layers":6,"num_attention_heads":8,"num_key_value_heads":8,"head_dim":32,"intermediate_size":704,"max_position_embeddings":512,"rms_norm_eps":1.0E-5,"hidden_act":"silu","tie_word_embeddings":true,"initializer_range":0.02,"bos_token_id":0,"eos_token_id":1,"pad_token_id":2,"attention_bias":false,"mlp_bias":false,"torch_dtype":"float32","rope_parameters":{"rope_type":"default","rope_theta":10000.0},"is_causal":false,"mask_token_id":3,"diffusion":"mdlm","noise_schedule":"loglinear"}
            training {"steps":3000,"accumulation":1,"peakLearningRate":0.001,"warmupSteps":200,"minLearningRateRatio":0.1,"clipNorm":1.0,"adam":{"beta1":0.9,"beta2":0.95,"eps":1.0E-8,"weightDecay":0.1},"evalEvery":250,"checkpointEveryTokens":1000000,"seed":42}
            mix {"text":0.1,"facts":0.25,"arithmetic":0.2,"prose":0.45}
            sequence 128 batch 32 facts 0 problems 0
            mdlm batches 64 samples 8 length 64 steps 128
            lab-mdlm TINY mdlm
            config {"architectures":["LlamaForMaskedDiffusion"],"model_type":"llama","vocab_size":512,"hidden_size":32,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":4,"head_dim":8,"intermediate_size":64,"max_position_embeddings":512,"rms_norm_eps":1.0E-5,"hidden_act":"silu","tie_word_embeddings":true,"initializer_range":0.02,"bos_token_id":0,"eos_token_id":1,"pad_token_id":2,"attention_bias":false,"mlp_bias":false,"torch_dtype":"float32","rope_parameters":{"rope_type":"default","rope_theta":10000.0},"is_causal":false,"mask_token_id":3,"diffusion":"mdlm","noise_schedule":"loglinear"}
            training {"steps":40,"accumulation":1,"peakLearningRate":0.003,"warmupSteps":4,"minLearningRateRatio":0.1,"clipNorm":1.0,"adam":{"beta1":0.9,"beta2":0.95,"eps":1.0E-8,"weightDecay":0.1},"evalEvery":20,"checkpointEveryTokens":0,"seed":42}
            mix {"text":0.6,"facts":0.25,"arithmetic":0.15,"prose":0.4}
            sequence 64 batch 8 facts 0 problems 0
            mdlm batches 2 samples 2 length 16 steps 8
            """;
}
