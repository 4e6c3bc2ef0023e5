package dev.scalpel.edit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.metrics.EditEvaluator;
import dev.scalpel.edit.metrics.EditMetrics;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.build.LabSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The measurements of an editing run fit a model with a short context: gpt2-tiny has 64 learned positions, fewer than
 * the 128-token perplexity windows and the 100 new tokens of generation entropy, which used to end the run in an
 * index error (positions past the table) or a refused generation.
 */
class ShortContextTest {
    private static Path gpt2Tiny() {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve("gpt2-tiny");
    }

    @Test
    void generationEntropyAndLabPerplexityFitSixtyFourPositions() {
        try (LoadedModel m = LoadedModel.open(gpt2Tiny())) {
            assertEquals(64, m.model().config().maxPositions());
            var tokenizer = m.requireTokenizer();
            EditRequest request = new EditRequest("0", "The {} is a kind of", "poodle", "bird", "dog",
                    List.of("A poodle is a type of"), List.of("The wolf is a kind of"), List.of("dog"),
                    List.of("The poodle is a small dog that likes to run in the park with its owner every day"));
            EditMetrics metrics = new EditEvaluator(m.model(), tokenizer, 0).counterFact(List.of(request), 1, 7);
            assertTrue(Double.isFinite(metrics.generationEntropy()), "GE over what the context leaves: " + metrics);

            LabCorpus lab = LabCorpus.build(LabSpec.SEED, Profile.TINY);
            Map<String, Double> downstream = new LabProbe(lab, tokenizer, 0, 0, false, 16 * 128, 0).measure(m.model());
            double perplexity = downstream.get("perplexity");
            assertTrue(Double.isFinite(perplexity) && perplexity > 1, "perplexity in 64-token windows: " + perplexity);
        }
    }
}
