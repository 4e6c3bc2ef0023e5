package dev.scalpel.core.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The difference of one metric between two classifiers' predictions of the same examples, with a paired percentile
 * bootstrap interval: both are scored on the same resample of the examples, so what the two share (which examples are
 * hard) cancels. For a corpus-level metric such as macro-F1, which is not a mean over examples and so has no Student-t
 * interval.
 *
 * @param estimate the metric of {@code a} minus that of {@code b} on all examples
 * @param low the lower end of the percentile interval
 * @param high its upper end
 * @param resamples how many bootstrap resamples
 * @param level the confidence level
 */
public record PairedBootstrap(double estimate, double low, double high, int resamples, double level) {
    /** A metric of predictions against the truth. */
    public interface Metric {
        double score(int[] truth, int[] predicted);
    }

    /** The macro-F1 difference of {@code a} and {@code b} over {@code classes} classes, 95%, 1,000 resamples. */
    public static PairedBootstrap macroF1(int[] truth, int[] a, int[] b, int classes, long seed) {
        return of(truth, a, b, (t, p) -> ClassificationMetrics.macroF1(t, p, classes), 1000, MeanInterval.LEVEL, seed);
    }

    public static PairedBootstrap of(int[] truth, int[] a, int[] b, Metric metric, int resamples, double level,
                                     long seed) {
        if (truth.length == 0 || a.length != truth.length || b.length != truth.length) {
            throw new IllegalArgumentException("paired predictions of the same examples are needed: " + truth.length
                    + " truths, " + a.length + " and " + b.length + " predictions");
        }
        if (resamples < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("resamples " + resamples + " and level " + level);
        }
        int n = truth.length;
        double[] differences = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        int[] t = new int[n];
        int[] pa = new int[n];
        int[] pb = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                t[i] = truth[k];
                pa[i] = a[k];
                pb[i] = b[k];
            }
            differences[r] = metric.score(t, pa) - metric.score(t, pb);
        }
        Arrays.sort(differences);
        double tail = (1 - level) / 2;
        return new PairedBootstrap(metric.score(truth, a) - metric.score(truth, b), quantile(differences, tail),
                quantile(differences, 1 - tail), resamples, level);
    }

    /** The q-quantile of sorted values, interpolated linearly between order statistics. */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /** Whether the whole interval lies above {@code value}. */
    public boolean above(double value) {
        return low > value;
    }

    /** Whether the whole interval lies below {@code value}. */
    public boolean below(double value) {
        return high < value;
    }

    /** "-1.2 [-2.5, 0.1]" in points (the difference times 100), with one decimal. */
    public String formatPoints() {
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * estimate, 100 * low, 100 * high);
    }
}
