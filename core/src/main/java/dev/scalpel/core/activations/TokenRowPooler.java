package dev.scalpel.core.activations;

import java.util.Arrays;

/**
 * The CPU backend of {@link TokenPooling}: token rows of many texts, arriving one at a time and in any order (as
 * harvest shards hold them), accumulated into every pooling at once, so that a text's features are computed once
 * whatever number of poolings is compared. Sums and maxima run in float, in arrival order; the mean is the sum times
 * {@code 1 / tokens}; the last token is the row with the highest position; top-n counts need each token's n-th
 * largest value ({@link TokenPooling.TopNCount#nthLargest}).
 *
 * <p>Unlike the device backend, a text that received no row pools to zeros (the harvest may have dropped it), and
 * {@link TokenPooling.Cls} is not available (position 0 is often not harvested).
 */
public final class TokenRowPooler {
    private final int width;
    private final int topN;
    private final float[][] sum;
    private final float[][] max;
    private final float[][] last;
    private final long[] lastPosition;
    private final float[][] topCounts;
    private final int[] tokens;

    /** @param topN the n of top-n counts; 0 counts none */
    public TokenRowPooler(int texts, int width, int topN) {
        if (topN < 0) {
            throw new IllegalArgumentException("topN must be >= 0: " + topN);
        }
        this.width = width;
        this.topN = topN;
        this.sum = new float[texts][width];
        this.max = new float[texts][width];
        this.last = new float[texts][width];
        this.lastPosition = new long[texts];
        this.topCounts = topN > 0 ? new float[texts][width] : null;
        this.tokens = new int[texts];
        for (float[] m : max) {
            Arrays.fill(m, Float.NEGATIVE_INFINITY);
        }
        Arrays.fill(lastPosition, Long.MIN_VALUE);
    }

    /**
     * Adds one token of {@code text}: its features {@code values[offset, offset + width)}, its position in the text,
     * and its n-th largest feature (ignored when {@link #topN()} is 0).
     */
    public void add(int text, float[] values, int offset, long position, float nthLargest) {
        if (text < 0 || text >= tokens.length) {
            throw new IndexOutOfBoundsException("a row of text " + text + " but only " + tokens.length + " texts");
        }
        float[] s = sum[text];
        float[] m = max[text];
        for (int j = 0; j < width; j++) {
            float v = values[offset + j];
            s[j] += v;
            if (v > m[j]) {
                m[j] = v;
            }
        }
        if (position >= lastPosition[text]) {
            System.arraycopy(values, offset, last[text], 0, width);
            lastPosition[text] = position;
        }
        if (topCounts != null) {
            float[] c = topCounts[text];
            for (int j = 0; j < width; j++) {
                float v = values[offset + j];
                if (v >= nthLargest && v > 0f) {
                    c[j] += 1f;
                }
            }
        }
        tokens[text]++;
    }

    /** Writes {@code text}'s pooled row into {@code into} (length {@link #width()}) and returns it. */
    public float[] pooled(int text, TokenPooling pooling, float[] into) {
        float scale = 1f;
        float[] source = switch (pooling) {
            case TokenPooling.Sum s -> sum[text];
            case TokenPooling.Mean m -> {
                scale = tokens[text] > 0 ? 1f / tokens[text] : 1f;
                yield sum[text];
            }
            case TokenPooling.Max m -> max[text];
            case TokenPooling.Last l -> last[text];
            case TokenPooling.TopNCount t -> {
                if (topCounts == null || t.n() != topN) {
                    throw new IllegalArgumentException(pooling.name() + " was asked for but top-" + topN
                            + " counts were accumulated" + (topN == 0 ? " (none)" : ""));
                }
                yield topCounts[text];
            }
            case TokenPooling.Cls c -> throw new IllegalArgumentException(
                    "cls pooling needs position 0 of a padded batch; pool on the device instead");
        };
        boolean isMax = pooling instanceof TokenPooling.Max;
        for (int j = 0; j < width; j++) {
            // A maximum still at -infinity had no row (a text the harvest dropped): it pools to zero like the rest.
            into[j] = isMax && source[j] == Float.NEGATIVE_INFINITY ? 0f : source[j] * scale;
        }
        return into;
    }

    public int width() {
        return width;
    }

    public int texts() {
        return tokens.length;
    }

    /** The n of the top-n counts (0 when none are counted). */
    public int topN() {
        return topN;
    }

    /** How many tokens of {@code text} were added. */
    public int tokens(int text) {
        return tokens[text];
    }
}
