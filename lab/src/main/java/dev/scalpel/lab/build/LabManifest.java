package dev.scalpel.lab.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.train.TrainingConfig;

/**
 * The provenance and results of one lab model build, written as manifest.json beside the model: what data (hash),
 * what recipe, what seed, what code, how long, how well.
 *
 * @param modelFlopsUtilization 6 x parameters x tokens/s over the engine's float32 matrix-multiply rate
 * @param metrics {@link LmMetrics} or {@link MdlmMetrics} on the test split: the report's figures, scored once
 * @param validationMetrics the same on the validation split: what recipes are compared by
 */
public record LabManifest(String name, String profile, String objective, long parameters, ObjectNode config,
                          TrainingConfig training, int sequenceLength, int batchSize, long seed, String dataHash,
                          long tokensTrained, double secondsTraining, double tokensPerSecond, double gemmGflops,
                          // The manifest's key keeps its first spelling, so cached lab models stay readable.
                          @JsonProperty("modelFlopsUtilisation") double modelFlopsUtilization, Object metrics,
                          Object validationMetrics, String codeVersion, String created) {
}
