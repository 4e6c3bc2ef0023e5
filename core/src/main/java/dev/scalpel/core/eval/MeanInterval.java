package dev.scalpel.core.eval;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of a few independent repetitions (seeds) and its two-sided Student-t confidence interval: what a verdict
 * over seeds may claim. With one value there is no interval ({@code low} and {@code high} are NaN) and
 * {@link #excludes} is false: one seed cannot show that a difference exceeds the noise.
 *
 * @param mean the values' mean
 * @param low the interval's lower end (NaN with fewer than two values)
 * @param high its upper end
 * @param count how many values
 * @param level the confidence level (0.95)
 */
public record MeanInterval(double mean, double low, double high, int count, double level) {
    public static final double LEVEL = 0.95;

    /** The 95% interval of {@code values}' mean. */
    public static MeanInterval of(double... values) {
        return atLevel(LEVEL, values);
    }

    public static MeanInterval atLevel(double level, double... values) {
        if (values.length == 0 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("an interval needs at least one value and a level in (0, 1); got "
                    + values.length + " values, level " + level);
        }
        int n = values.length;
        double mean = Arrays.stream(values).average().orElseThrow();
        if (n == 1) {
            return new MeanInterval(mean, Double.NaN, Double.NaN, 1, level);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double standardError = Math.sqrt(ss / (n - 1) / n);
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.5 + level / 2);
        return new MeanInterval(mean, mean - t * standardError, mean + t * standardError, n, level);
    }

    /** Whether the interval lies wholly on one side of {@code value} (false without an interval). */
    public boolean excludes(double value) {
        return count > 1 && (low > value || high < value);
    }

    /** Whether there is an interval at all (two values or more). */
    public boolean hasInterval() {
        return count > 1;
    }

    /** "64.1 [60.2, 68.0]" with {@code decimals} decimals, or the mean alone when there is no interval. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return hasInterval() ? String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", mean, low, high)
                : String.format(Locale.ROOT, f, mean);
    }
}
