package dev.scalpel.edit.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;

/**
 * A sequential (lifelong) editing run: T batches of n edits applied one after another to the same model.
 *
 * @param evaluateEvery evaluate every this many edits (a multiple of the batch size), and after the last batch
 * @param generationEdits GE is measured on the generation prompts of this many of the edits so far (0: no GE)
 */
@JsonPropertyOrder({"method", "hyperparameters"})
public record SequentialConfig(EditHyperparameters hyperparameters, int batchSize, int batches, int evaluateEvery,
                               int generationEdits, long seed) {
    public SequentialConfig {
        if (batchSize <= 0 || batches <= 0) {
            throw new IllegalArgumentException("batch size and number of batches must be positive");
        }
        if (evaluateEvery <= 0 || evaluateEvery % batchSize != 0) {
            throw new IllegalArgumentException("evaluate-every (" + evaluateEvery + ") must be a positive multiple of the batch size ("
                    + batchSize + ")");
        }
    }

    /** The method, as results.json names it beside its hyperparameters. */
    @JsonProperty("method")
    public EditMethod method() {
        return hyperparameters.method();
    }

    public int totalEdits() {
        return batchSize * batches;
    }
}
