package dev.scalpel.edit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.model.Scalars;
import dev.scalpel.edit.EditRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generation efficacy and neighbor stability, checked against greedy generations made one prompt at a time (the
 * oracle), on a random-weight Llama.
 */
class GenerationMetricsTest {
    private static final String REWRITE = "The {} is a kind of";
    private static final String PARAPHRASE = "A poodle is a type of";
    private static final List<String> NEIGHBORS = List.of("The wolf is a kind of", "Wolves are", "A cat is");

    private static Path llamaTiny() {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve("llama-tiny");
    }

    /** The first whole word (whitespace after it) of what the model says after {@code prompt}, greedily and alone. */
    private static String firstWord(LoadedModel m, String prompt) {
        long[] ids = new Generator(m.model(), m.requireTokenizer(), 0)
                .generate(GenerationRequest.greedy(m.requireTokenizer().encode(prompt), 40)).newTokens().getFirst();
        String text = m.requireTokenizer().decode(ids, true).strip();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        assertTrue(end < text.length(), "a whole word within 40 tokens: " + text);
        return text.substring(0, end);
    }

    @Test
    void generationEfficacyCountsTheRewriteAndParaphrasePromptsThatSayTheNewTarget() {
        try (LoadedModel m = LoadedModel.open(llamaTiny())) {
            String said = firstWord(m, REWRITE.replace("{}", "poodle"));
            assertFalse(said.isEmpty(), "the model says something after the rewrite prompt");
            String saidAfterParaphrase = firstWord(m, PARAPHRASE);
            EditRequest request = new EditRequest("0", REWRITE, "poodle", said, "dog", List.of(PARAPHRASE), NEIGHBORS,
                    List.of("dog", "dog", "dog"), List.of(REWRITE.replace("{}", "poodle")));
            EditMetrics metrics = new EditEvaluator(m.model(), m.requireTokenizer(), 0).counterFact(List.of(request), 1, 7);
            // The rewrite prompt says the target; the paraphrase says it only if its own first word is the same.
            double expected = said.equals(saidAfterParaphrase) ? 100 : 50;
            assertEquals(expected, metrics.generationEfficacy(), 1e-9, "rewrite says '" + said + "', paraphrase '"
                    + saidAfterParaphrase + "'");
            assertTrue(Double.isNaN(metrics.neighborStability()), "no baseline, no stability");
            EditRequest longer = new EditRequest("0", REWRITE, "poodle", said + "zzq", "dog", List.of(), NEIGHBORS,
                    List.of("dog", "dog", "dog"), List.of());
            assertEquals(0, new EditEvaluator(m.model(), m.requireTokenizer(), 0).counterFact(List.of(longer), 1, 7)
                    .generationEfficacy(), 1e-9, "a target the continuation does not begin with");
        }
    }

    @Test
    void neighborStabilityIsFullForTheUneditedModelAndFallsWhenTheModelChanges() {
        try (LoadedModel m = LoadedModel.open(llamaTiny())) {
            EditRequest request = new EditRequest("0", REWRITE, "poodle", "bird", "dog", List.of(PARAPHRASE), NEIGHBORS,
                    List.of("dog", "dog", "dog"), List.of(REWRITE.replace("{}", "poodle")));
            EditEvaluator evaluator = new EditEvaluator(m.model(), m.requireTokenizer(), 0);
            NeighborBaseline baseline = evaluator.neighborBaseline(List.of(request));
            assertEquals(NEIGHBORS.size(), baseline.continuations().size());
            // The same prompts in the same batch on the same weights: the same computation, so exactly equal.
            assertEquals(100, evaluator.counterFact(List.of(request), 1, 7, baseline).neighborStability(), 1e-9);

            String name = m.model().linearModules().getLast().weight();
            NDArray w = m.model().parameters().get(name);
            m.model().parameters().replace(name, Scalars.mul(w, 40f));
            double after = evaluator.counterFact(List.of(request), 1, 7, baseline).neighborStability();
            int unchanged = 0;
            for (String p : NEIGHBORS) {
                long[] now = new Generator(m.model(), m.requireTokenizer(), 0).generate(GenerationRequest.greedy(
                        m.requireTokenizer().encode(p), baseline.continuations().get(p).length)).newTokens().getFirst();
                unchanged += java.util.Arrays.equals(now, baseline.continuations().get(p)) ? 1 : 0;
            }
            assertEquals(100.0 * unchanged / NEIGHBORS.size(), after, 1e-9, "the share the one-prompt oracle finds");
            assertTrue(after < 100, "scaling the last down projection 40x changes some continuation: " + after);
        }
    }
}
