package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    /** Next-token NLL of one window run alone, from its logits in float64: the oracle. */
    private static double[] nll(TransformerModel model, long[] window) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = model.forward(ForwardRequest.of(m.create(window).reshape(1, window.length)), m)
                    .logits().toFloatArray();
            int v = logits.length / window.length;
            double[] out = new double[window.length - 1];
            for (int t = 0; t + 1 < window.length; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[t * v + j]);
                }
                double sum = 0;
                for (int j = 0; j < v; j++) {
                    sum += Math.exp(logits[t * v + j] - max);
                }
                out[t] = max + Math.log(sum) - logits[t * v + (int) window[t + 1]];
            }
            return out;
        }
    }

    @Test
    void streamPerplexityIsExpOfTheMeanNextTokenLossOverItsWindows() {
        try (NDManager weights = NDManager.newBaseManager();
             TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), weights)) {
            int[] stream = new int[50];
            for (int i = 0; i < stream.length; i++) {
                stream[i] = (i * 37 + 11) % (int) Math.min(200, model.config().vocabSize());
            }
            // 50 tokens in windows of 8: 6 windows, 2 a batch, 3 batches; tokens 48 and 49 are left over.
            double batchMeans = 0;
            for (int b = 0; b < 3; b++) {
                double sum = 0;
                int n = 0;
                for (int r = 0; r < 2; r++) {
                    long[] window = new long[8];
                    for (int s = 0; s < 8; s++) {
                        window[s] = stream[(b * 2 + r) * 8 + s];
                    }
                    for (double x : nll(model, window)) {
                        sum += x;
                        n++;
                    }
                }
                batchMeans += sum / n;
            }
            double expected = Math.exp(batchMeans / 3);
            double got = Perplexity.ofStream(model, stream, 8, 2);
            assertEquals(expected, got, 1e-5 * expected);
        }
    }

    @Test
    void exactMatchJudgesTheAnswerNotWhatFollows() {
        assertTrue(ExactMatch.startsWith(new long[] {4, 5, 9}, new long[] {4, 5}));
        assertFalse(ExactMatch.startsWith(new long[] {4}, new long[] {4, 5}));
        assertFalse(ExactMatch.startsWith(new long[] {4, 6}, new long[] {4, 5}));
        assertEquals(2.0 / 3, ExactMatch.accuracy(new boolean[] {true, false, true}), 1e-15);
        assertTrue(Double.isNaN(ExactMatch.accuracy(new boolean[0])));
    }
}
