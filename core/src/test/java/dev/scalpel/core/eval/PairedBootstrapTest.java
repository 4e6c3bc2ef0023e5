package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    /** Identical predictions differ by exactly zero on every resample. */
    @Test
    void identicalPredictionsHaveAZeroInterval() {
        int[] truth = {0, 1, 1, 0, 1, 0, 0, 1};
        int[] p = {0, 1, 0, 0, 1, 1, 0, 1};
        PairedBootstrap b = PairedBootstrap.macroF1(truth, p, p.clone(), 2, 3);
        assertEquals(0, b.estimate(), 0);
        assertEquals(0, b.low(), 0);
        assertEquals(0, b.high(), 0);
    }

    /**
     * Accuracy is a mean over examples, so its paired bootstrap interval must agree with the normal approximation of the
     * mean of the per-example differences (each +1, 0 or -1): an independent closed form.
     */
    @Test
    void accuracyDifferenceMatchesTheNormalApproximation() {
        Random r = new Random(11);
        int n = 4000;
        int[] truth = new int[n];
        int[] a = new int[n];
        int[] b = new int[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextInt(2);
            a[i] = r.nextDouble() < 0.8 ? truth[i] : 1 - truth[i];
            b[i] = r.nextDouble() < 0.7 ? truth[i] : 1 - truth[i];
            d[i] = (a[i] == truth[i] ? 1 : 0) - (b[i] == truth[i] ? 1 : 0);
        }
        PairedBootstrap.Metric accuracy = (t, p) -> {
            int hits = 0;
            for (int i = 0; i < t.length; i++) {
                hits += t[i] == p[i] ? 1 : 0;
            }
            return (double) hits / t.length;
        };
        PairedBootstrap boot = PairedBootstrap.of(truth, a, b, accuracy, 4000, 0.95, 5);
        double mean = java.util.Arrays.stream(d).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / (n - 1));
        double half = 1.959964 * sd / Math.sqrt(n);
        assertEquals(mean, boot.estimate(), 1e-12);
        // Monte Carlo error of a 2.5% quantile from 4,000 resamples is about 5% of the half-width.
        assertEquals(mean - half, boot.low(), 0.12 * half);
        assertEquals(mean + half, boot.high(), 0.12 * half);
        assertTrue(boot.above(0), "a 10-point better classifier on 4,000 examples: " + boot);
    }

    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {0, 10, 20, 30, 40};
        assertEquals(0, PairedBootstrap.quantile(sorted, 0), 0);
        assertEquals(25, PairedBootstrap.quantile(sorted, 0.625), 1e-12);
        assertEquals(40, PairedBootstrap.quantile(sorted, 1), 0);
    }

    @Test
    void refusesUnpairedPredictions() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.macroF1(new int[] {0, 1}, new int[] {0}, new int[] {0, 1}, 2, 1));
    }
}
