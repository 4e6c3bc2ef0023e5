package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** LIBLINEAR through the probe: separation, coefficient recovery, and what cross-validation chooses. */
class LogisticProbeTest {
    private static final LogisticProbe PROBE = new LogisticProbe(LogisticProbe.Config.defaults());

    record Data(FeatureMatrix x, int[] y) {
    }

    /** Gaussian points labeled by the side of the plane w.x + b they fall on, minus a slab of width 2 * margin. */
    private static Data separable(int n, int d, double margin, double positiveShare, long seed) {
        Random r = new Random(seed);
        double[] w = unit(gaussian(r, d));
        float[][] rows = new float[n][];
        int[] y = new int[n];
        double b = -quantileOffset(positiveShare);
        for (int i = 0; i < n; ) {
            double[] p = gaussian(r, d);
            double s = dot(w, p) + b;
            if (Math.abs(s) < margin) {
                continue;
            }
            rows[i] = toFloat(p);
            y[i++] = s > 0 ? 1 : 0;
        }
        return new Data(FeatureMatrix.ofDense(rows), y);
    }

    @Test
    void separableDataAreSeparatedPerfectly() {
        Data d = separable(300, 5, 0.3, 0.5, 1);
        int[] all = IntStream.range(0, 300).toArray();
        LogisticProbe.Fitted f = PROBE.fit(d.x(), d.y(), 2, all, 10);
        assertEquals(1.0, ClassificationMetrics.macroF1(d.y(), f.predict(d.x(), all), 2), 0.0);
    }

    @Test
    void recoversTheDirectionOfAKnownLogisticModel() {
        Random r = new Random(7);
        int n = 4000;
        int dim = 10;
        double[] w = gaussian(r, dim);
        double scale = 3 / Math.sqrt(dot(w, w));
        for (int j = 0; j < dim; j++) {
            w[j] *= scale;
        }
        double bias = 0.5;
        float[][] rows = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double[] p = gaussian(r, dim);
            rows[i] = toFloat(p);
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(dot(w, p) + bias))) ? 1 : 0;
        }
        FeatureMatrix x = FeatureMatrix.ofDense(rows);
        LogisticProbe.Fitted f = new LogisticProbe(LogisticProbe.Config.defaults().withEps(1e-4))
                .fit(x, y, 2, IntStream.range(0, n).toArray(), 1.0);
        double[] towardsOne = f.coefficients(1);
        assertTrue(cosine(towardsOne, w) > 0.95, "cosine " + cosine(towardsOne, w));
        // With n = 4000 and C = 1 the L2 penalty hardly shrinks: the maximum-likelihood scale comes back too.
        assertEquals(3.0, Math.sqrt(dot(towardsOne, towardsOne)), 0.5);
        assertEquals(bias, f.intercept(1), 0.25);
        double[] towardsZero = f.coefficients(0);
        for (int j = 0; j < dim; j++) {
            assertEquals(-towardsOne[j], towardsZero[j], 0.0);
        }
    }

    @Test
    void parallelCrossValidationScoresEqualFitsOneAfterTheOther() {
        Data d = separable(300, 6, 0.1, 0.3, 7);
        int[] all = IntStream.range(0, 300).toArray();
        List<dev.scalpel.interpret.data.TrainTestSplit> folds = dev.scalpel.interpret.data.StratifiedSplit.kFold(d.y(), all, 5, 42);
        LogisticProbe.Selection s = PROBE.select(d.x(), d.y(), 2, folds);
        for (int g = 0; g < s.grid().size(); g++) {
            for (int f = 0; f < folds.size(); f++) {
                var fold = folds.get(f);
                var model = PROBE.fit(d.x(), d.y(), 2, fold.train(), s.grid().get(g));
                int[] truth = java.util.Arrays.stream(fold.test()).map(i -> d.y()[i]).toArray();
                assertEquals(ClassificationMetrics.macroF1(truth, model.predict(d.x(), fold.test()), 2),
                        s.foldScores()[g][f], 0.0, "C " + s.grid().get(g) + " fold " + f);
            }
        }
    }

    @Test
    void crossValidationPrefersWeakRegularizationOnCleanImbalancedData() {
        // 20% positives: a heavily regularized model hardly moves off the base rate and calls everything negative
        // (macro-F1 about 0.44); a weakly regularized one separates the margin perfectly.
        Data d = separable(250, 3, 0.5, 0.2, 2);
        int[] all = IntStream.range(0, 250).toArray();
        LogisticProbe.Selection s = PROBE.select(d.x(), d.y(), 2, all, 5, 42);
        assertTrue(s.bestC() >= 0.1, "chose C = " + s.bestC());
        assertEquals(1.0, s.mean(s.bestIndex()), 0.02);
        assertTrue(s.mean(0) < 0.6, "C = 1e-4 scored " + s.mean(0));
        for (int g = 0; g < s.grid().size(); g++) {
            assertTrue(s.mean(g) <= s.mean(s.bestIndex()));
        }
    }

    @Test
    void onUninformativeFeaturesEveryCTiesAndTheMostRegularizedWins() {
        int n = 100;
        float[][] rows = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new float[] {1f, 2f};   // the same features for every example
            y[i] = i % 3 == 0 ? 1 : 0;
        }
        LogisticProbe.Selection s = PROBE.select(FeatureMatrix.ofDense(rows), y, 2, IntStream.range(0, n).toArray(), 5, 1);
        assertEquals(1e-4, s.bestC(), 0.0);
        double[] first = s.foldScores()[0];
        for (double[] scores : s.foldScores()) {
            assertArrayEquals(first, scores, 0.0);
        }
    }

    @Test
    void balancedWeightsRescueTheMinorityClass() {
        // Overlapping classes, 10% positives: unweighted, the probe mostly says negative; balanced, it finds more
        // positives, trading precision for recall.
        Random r = new Random(5);
        int n = 1000;
        float[][] rows = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10 == 0 ? 1 : 0;
            rows[i] = new float[] {(float) (r.nextGaussian() + (y[i] == 1 ? 1.0 : 0.0))};
        }
        FeatureMatrix x = FeatureMatrix.ofDense(rows);
        int[] all = IntStream.range(0, n).toArray();
        int plain = Arrays.stream(PROBE.fit(x, y, 2, all, 1).predict(x, all)).sum();
        int balanced = Arrays.stream(new LogisticProbe(LogisticProbe.Config.defaults().withBalanced(true))
                .fit(x, y, 2, all, 1).predict(x, all)).sum();
        assertTrue(plain < 30, "unweighted predicted " + plain + " positives");
        assertTrue(balanced > 250, "balanced predicted " + balanced + " positives");
    }

    private static double quantileOffset(double positiveShare) {
        // For a standard normal projection, the offset that leaves positiveShare above the plane (0 for one half).
        if (positiveShare == 0.5) {
            return 0;
        }
        double lo = -5;
        double hi = 5;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            double above = 0.5 * erfc(mid / Math.sqrt(2));
            if (above > positiveShare) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    private static double[] gaussian(Random r, int d) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    private static double[] unit(double[] v) {
        double n = Math.sqrt(dot(v, v));
        return Arrays.stream(v).map(a -> a / n).toArray();
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = (float) v[j];
        }
        return f;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }
}
