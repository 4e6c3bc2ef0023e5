package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The MDLM loss is the weighted masked cross-entropy its definition says, and its masking follows the schedule. */
class MaskedDiffusionObjectiveTest {

    @Test
    void nelboEqualsTheDefinitionComputedByHand() {
        int b = 2;
        int s = 5;
        int v = 7;
        long mask = 6;
        Random r = new Random(3);
        float[] logits = new float[b * s * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        long[] clean = {1, 2, 3, 4, 5, 0, 1, 2, 3, 4};
        boolean[] masked = {true, false, true, false, false, true, true, true, false, true};
        double[] t = {0.4, 0.9};
        double expected = 0;
        for (int bi = 0; bi < b; bi++) {
            for (int si = 0; si < s; si++) {
                if (!masked[bi * s + si]) {
                    continue;
                }
                int base = (bi * s + si) * v;
                double norm = 0;
                for (int k = 0; k < v; k++) {
                    if (k != mask) {
                        norm += Math.exp(logits[base + k]);
                    }
                }
                double logp = logits[base + (int) clean[bi * s + si]] - Math.log(norm);
                expected += -logp / t[bi];
            }
        }
        expected /= b * s;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(logits, new Shape(b, s, v));
            double got = MaskedDiffusionObjective.nelbo(l, m.create(clean).reshape(b, s), masked, t, mask).getFloat();
            assertEquals(expected, got, 1e-5 * Math.abs(expected));
        }
    }

    @Test
    void maskingRateFollowsEachRowsTime() {
        MaskedDiffusionObjective o = new MaskedDiffusionObjective(99, 1);
        int batch = 8;
        int seq = 4000;
        long[] ids = new long[batch * seq];
        MaskedDiffusionObjective.Noise n = o.noise(ids, batch, seq, 12);
        for (int b = 0; b < batch; b++) {
            int count = 0;
            for (int i = 0; i < seq; i++) {
                if (n.masked()[b * seq + i]) {
                    count++;
                    assertEquals(99, n.noisedIds()[b * seq + i]);
                }
            }
            double p = (1 - MaskedDiffusionObjective.EPS) * n.times()[b];
            assertEquals(p * seq, count, 4 * Math.sqrt(seq * p * (1 - p)) + 1, "row " + b);
        }
        double[] sorted = n.times().clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < batch; i++) {
            assertEquals(1.0 / batch, (sorted[i] - sorted[i - 1]) / (1 - MaskedDiffusionObjective.EPS), 1e-9, "times are evenly spread");
        }
        MaskedDiffusionObjective.Noise again = o.noise(ids, batch, seq, 12);
        assertTrue(java.util.Arrays.equals(n.masked(), again.masked()), "the same step masks the same tokens");
    }
}
