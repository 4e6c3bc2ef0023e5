package dev.scalpel.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MDLM sampler on the golden BERT fixture (512 tokens, 64 positions), with [MASK] played by id 4. */
class MaskedDiffusionSamplerTest {
    private static final long MASK = 4;
    private static NDManager manager;
    private static TransformerModel bert;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        bert = Models.load(Fixtures.model("bert-tiny"), manager);
    }

    @AfterAll
    static void close() {
        bert.close();
        manager.close();
    }

    private static GenerationRequest request(int rows, long[] prefix, int newTokens, Sampling sampling) {
        return GenerationRequest.of(Collections.nCopies(rows, prefix), newTokens, sampling);
    }

    @Test
    void keepsThePromptLeavesNoMaskAndRepeatsWithTheSeed() {
        MaskedDiffusionSampler sampler = new MaskedDiffusionSampler(bert, null, MASK, 6);
        Generation g = sampler.generate(request(3, new long[] {1, 7}, 10, Sampling.sample(1, 0, 1, 11)));
        for (long[] row : g.sequences()) {
            assertEquals(12, row.length);
            assertEquals(1, row[0]);
            assertEquals(7, row[1]);
            assertTrue(Arrays.stream(row).noneMatch(v -> v == MASK), "no [MASK] remains after the last step");
        }
        assertFalse(Arrays.equals(g.sequences().get(0), g.sequences().get(1)), "rows are sampled independently");
        assertArrayEquals(Arrays.copyOfRange(g.sequences().get(2), 2, 12), g.newTokens().get(2));
        Generation again = sampler.generate(request(3, new long[] {1, 7}, 10, Sampling.sample(1, 0, 1, 11)));
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(g.sequences().get(b), again.sequences().get(b), "same seed, same samples");
        }
    }

    @Test
    void oneStepFillsEveryPositionWithTheArgmaxOfOneForwardPass() {
        long[] prefix = {1, 9, 13};
        int length = 20;
        long[] input = new long[length];
        Arrays.fill(input, MASK);
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        long[] expected = input.clone();
        try (NDManager m = manager.newSubManager()) {
            float[] logits = bert.forward(ForwardRequest.of(m.create(input).reshape(1, length)), m).logits().toFloatArray();
            int vocab = bert.config().vocabSize();
            for (int p = prefix.length; p < length; p++) {
                int best = -1;
                for (int v = 0; v < vocab; v++) {
                    if (v != MASK && (best < 0 || logits[p * vocab + v] > logits[p * vocab + best])) {
                        best = v;
                    }
                }
                expected[p] = best;
            }
        }
        Generation g = new MaskedDiffusionSampler(bert, null, MASK, 1)
                .generate(request(1, prefix, length - prefix.length, Sampling.sample(1, 0, 1, 3)));
        assertArrayEquals(expected, g.sequences().getFirst());
    }

    @Test
    void positionsUnmaskOnTheLogLinearSchedule() {
        // Under the log-linear schedule a masked position survives the step from i/T to (i-1)/T with probability
        // (i-1)/i, so before step i a fraction i/T of the generated positions is still masked.
        int steps = 10;
        int rows = 8;
        int generated = 60;
        List<int[]> masked = new ArrayList<>();
        ReverseStepProjection count = (step, tokens, probabilities) -> {
            int n = 0;
            for (long[] row : tokens) {
                for (long v : row) {
                    n += v == MASK ? 1 : 0;
                }
            }
            masked.add(new int[] {step, n});
        };
        new MaskedDiffusionSampler(bert, null, MASK, steps).withProjection(count)
                .generate(request(rows, new long[] {1}, generated, Sampling.sample(1, 0, 1, 5)));
        assertEquals(steps, masked.size(), "a fresh prediction at every step (something changes at each)");
        for (int[] seen : masked) {
            double expected = (double) rows * generated * seen[0] / steps;
            // Binomial over 480 positions: the standard deviation is at most 11; allow more than four of them.
            assertEquals(expected, seen[1], 50, "masked positions before step " + seen[0]);
        }
    }

    @Test
    void aProjectionThatRemovesTokensKeepsThemOutOfEverySample() {
        ReverseStepProjection lowerHalfOnly = (step, tokens, probabilities) -> {
            for (float[][] row : probabilities) {
                for (float[] p : row) {
                    double kept = 0;
                    for (int v = 0; v < p.length; v++) {
                        if (v >= 256) {
                            p[v] = 0;
                        }
                        kept += p[v];
                    }
                    for (int v = 0; v < p.length; v++) {
                        p[v] /= (float) kept;
                    }
                }
            }
        };
        Generation g = new MaskedDiffusionSampler(bert, null, MASK, 8).withProjection(lowerHalfOnly)
                .generate(request(4, new long[] {1}, 30, Sampling.sample(1, 0, 1, 9)));
        for (long[] row : g.newTokens()) {
            for (long v : row) {
                assertTrue(v < 256 && v != MASK, "token " + v + " was projected away");
            }
        }
    }

    @Test
    void refusesWhatAFixedLengthSamplerCannotDo() {
        MaskedDiffusionSampler sampler = new MaskedDiffusionSampler(bert, null, MASK, 4);
        Sampling plain = Sampling.sample(1, 0, 1, 1);
        assertRefused("prompt 1 has 2 tokens", () -> sampler.generate(
                GenerationRequest.of(List.of(new long[] {1}, new long[] {1, 2}), 4, plain)));
        assertRefused("top-k", () -> sampler.generate(request(1, new long[] {1}, 4, Sampling.sample(1, 5, 1, 1))));
        assertRefused("stop tokens", () -> sampler.generate(request(1, new long[] {1}, 4, plain).withStopTokenIds(Set.of(2L))));
        assertRefused("exceed the " + bert.config().maxPositions() + " positions", () -> sampler.generate(
                request(1, new long[] {1}, bert.config().maxPositions(), plain)));
        assertRefused("outside the vocabulary", () -> new MaskedDiffusionSampler(bert, null, 512, 4));
        try (TransformerModel gpt2 = Models.load(Fixtures.model("gpt2-tiny"), manager)) {
            assertRefused("causal", () -> new MaskedDiffusionSampler(gpt2, null, 4, 4));
        }
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable call) {
        String message = assertThrows(ScalpelException.class, call).getMessage();
        assertTrue(message.contains(expected), "'" + message + "' should say " + expected);
    }

    @Test
    void greedySamplingTakesTheMostProbableTokenWhereAPositionUnmasks() {
        // With a projection that leaves one token per position, greedy and sampled runs must agree (the draw has
        // nowhere else to go), and the schedule's randomness alone decides when each position unmasks.
        ReverseStepProjection onlyOne = (step, tokens, probabilities) -> {
            for (float[][] row : probabilities) {
                for (int p = 0; p < row.length; p++) {
                    Arrays.fill(row[p], 0);
                    row[p][100 + p] = 1;
                }
            }
        };
        MaskedDiffusionSampler sampler = new MaskedDiffusionSampler(bert, null, MASK, 5).withProjection(onlyOne);
        long[] greedy = sampler.generate(request(1, new long[] {1}, 12, Sampling.greedyDecoding())).sequences().getFirst();
        long[] drawn = sampler.generate(request(1, new long[] {1}, 12, Sampling.sample(0.7, 0, 1, 2))).sequences().getFirst();
        assertArrayEquals(greedy, drawn);
        for (int p = 1; p < greedy.length; p++) {
            assertEquals(100 + p, greedy[p]);
        }
    }
}
