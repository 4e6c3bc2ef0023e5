package dev.scalpel.lab.baseline;

import java.util.Arrays;

/**
 * An interpolated modified Kneser-Ney n-gram language model over token ids (Chen and Goodman, "An empirical study of
 * smoothing techniques for language modeling", 1998): the classical anchor a small transformer must beat before its
 * perplexity means anything, since whatever an n-gram can learn from the same tokens, this learns.
 *
 * <p>The highest order counts n-grams as they occur; every lower order counts continuations, the number of distinct
 * tokens seen immediately left of the n-gram. Each order has three discounts from its counts-of-counts n1..n4:
 * Y = n1 / (n1 + 2 n2), D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3. Then
 * p(w | h) = (max(c(hw) - D(c(hw)), 0) + (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) p(w | h')) / c(h.), where h' drops the
 * oldest token of h, c(h.) sums the order's counts over w and N_k(h.) counts the w seen k times (3 or more for N3+);
 * an unseen context hands over to the lower order unchanged, and below the unigrams lies the uniform 1/V, so every
 * token has positive probability and every distribution sums to 1. Histories shorter than N-1 tokens (the first
 * tokens of a window) use the orders they reach.
 *
 * <p>Counts are kept as sorted arrays of n-grams packed four 16-bit ids to a long, found by binary search: compact
 * and fast enough to train on millions of tokens in seconds.
 */
public final class KneserNey {
    private static final int BITS = 16;
    private static final int MAX_VOCABULARY = 1 << BITS;
    private static final int MAX_ORDER = Long.SIZE / BITS;

    private final int order;
    private final int vocabSize;
    /** Per order n (index n-1): the distinct n-grams, sorted, and the count each has at that order. */
    private final long[][] grams;
    private final int[][] counts;
    /** Per order n: the distinct contexts (the n-grams without their last token), sorted, with c(h.) and N1, N2, N3+. */
    private final long[][] contexts;
    private final long[][] totals;
    private final int[][][] countsOfKind;
    private final double[][] discounts;

    private KneserNey(int order, int vocabSize, long[][] grams, int[][] counts) {
        this.order = order;
        this.vocabSize = vocabSize;
        this.grams = grams;
        this.counts = counts;
        this.contexts = new long[order][];
        this.totals = new long[order][];
        this.countsOfKind = new int[order][][];
        this.discounts = new double[order][];
        for (int n = 1; n <= order; n++) {
            summarizeContexts(n);
            discounts[n - 1] = estimateDiscounts(counts[n - 1]);
        }
    }

    /**
     * Counts every n-gram of {@code stream} (one continuous sequence: n-grams may cross document boundaries).
     *
     * @throws IllegalArgumentException for an order outside 1..4, a vocabulary over 65,536 ids, an empty stream or an
     *                                  id outside [0, vocabSize)
     */
    public static KneserNey train(int[] stream, int order, int vocabSize) {
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("Kneser-Ney order must be 1.." + MAX_ORDER + " (four ids fit a packed long), not " + order);
        }
        if (vocabSize < 1 || vocabSize > MAX_VOCABULARY) {
            throw new IllegalArgumentException("vocabulary of " + vocabSize + " ids: Kneser-Ney packs ids in 16 bits, so at most "
                    + MAX_VOCABULARY);
        }
        if (stream.length == 0) {
            throw new IllegalArgumentException("cannot train a Kneser-Ney model on an empty token stream");
        }
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] < 0 || stream[i] >= vocabSize) {
                throw new IllegalArgumentException("token " + stream[i] + " at position " + i + " is outside the vocabulary [0, "
                        + vocabSize + ")");
            }
        }
        long[][] grams = new long[order][];
        int[][] counts = new int[order][];
        // The highest order: raw counts.
        long[] all = occurrences(stream, order);
        grams[order - 1] = distinct(all);
        counts[order - 1] = runLengths(all, grams[order - 1].length);
        // Lower orders: continuation counts, the distinct (n+1)-grams ending in each n-gram.
        for (int n = order - 1; n >= 1; n--) {
            long[] longer = n + 1 == order ? grams[order - 1] : distinct(occurrences(stream, n + 1));
            long[] suffixes = new long[longer.length];
            long mask = mask(n);
            for (int i = 0; i < longer.length; i++) {
                suffixes[i] = longer[i] & mask;
            }
            Arrays.sort(suffixes);
            grams[n - 1] = distinct(suffixes);
            counts[n - 1] = runLengths(suffixes, grams[n - 1].length);
        }
        return new KneserNey(order, vocabSize, grams, counts);
    }

    public int order() {
        return order;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** {D1, D2, D3+} of order {@code n}. */
    public double[] discounts(int n) {
        if (n < 1 || n > order) {
            throw new IllegalArgumentException("order " + n + " is outside 1.." + order);
        }
        return discounts[n - 1].clone();
    }

    /** p(token | history); only the last N-1 tokens of {@code history} (most recent last) are used. */
    public double probability(int[] history, int token) {
        return probability(history, 0, history.length, token);
    }

    /** Natural log of {@link #probability}. */
    public double logProbability(int[] history, int token) {
        return Math.log(probability(history, token));
    }

    private double probability(int[] tokens, int from, int to, int token) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + vocabSize + ")");
        }
        int reach = Math.min(order, to - from + 1);
        double p = 1.0 / vocabSize;
        for (int n = 1; n <= reach; n++) {
            long context = 0;
            for (int k = to - (n - 1); k < to; k++) {
                context = (context << BITS) | tokens[k];
            }
            int at = n == 1 ? 0 : Arrays.binarySearch(contexts[n - 1], context);
            if (at < 0) {
                continue;   // an unseen context: the lower order's distribution, unchanged
            }
            long total = totals[n - 1][at];
            int[] kinds = countsOfKind[n - 1][at];
            double[] d = discounts[n - 1];
            double backoffMass = d[0] * kinds[0] + d[1] * kinds[1] + d[2] * kinds[2];
            int index = Arrays.binarySearch(grams[n - 1], (context << BITS) | token);
            int c = index < 0 ? 0 : counts[n - 1][index];
            p = (Math.max(c - discount(d, c), 0) + backoffMass * p) / total;
        }
        return p;
    }

    /**
     * exp(mean negative log-probability) over exactly the targets the transformer's stream perplexity
     * ({@code Perplexity.ofStream} over {@code PackedBatches}) scores: the stream cut into consecutive windows of
     * {@code windowLength} (the remainder dropped), the first max(1, windows / rows) x rows windows taken (window
     * indices wrapping round when there are fewer than rows), and in each window positions 1..windowLength-1 predicted
     * from the tokens before them in the same window only.
     */
    public double perplexity(int[] stream, int windowLength, int rows) {
        if (windowLength < 2 || rows < 1) {
            throw new IllegalArgumentException("perplexity needs windows of at least 2 tokens and at least 1 row: "
                    + windowLength + " x " + rows);
        }
        long windows = stream.length / windowLength;
        if (windows == 0) {
            throw new IllegalArgumentException("token stream of " + stream.length + " tokens is shorter than one window of "
                    + windowLength);
        }
        long batches = Math.max(1, windows / rows);
        double negativeLog = 0;
        long targets = 0;
        for (long w = 0; w < batches * rows; w++) {
            int start = (int) ((w % windows) * windowLength);
            for (int pos = 1; pos < windowLength; pos++) {
                negativeLog -= Math.log(probability(stream, start, start + pos, stream[start + pos]));
                targets++;
            }
        }
        return Math.exp(negativeLog / targets);
    }

    private static double discount(double[] d, int count) {
        return count == 0 ? 0 : d[Math.min(count, 3) - 1];
    }

    /** c(h.), N1(h.), N2(h.), N3+(h.) of every context of order n; order 1 has the one empty context. */
    private void summarizeContexts(int n) {
        long[] g = grams[n - 1];
        int[] c = counts[n - 1];
        long[] ctx = new long[g.length];
        long[] tot = new long[g.length];
        int[][] kinds = new int[g.length][];
        int size = 0;
        for (int i = 0; i < g.length; i++) {
            long context = n == 1 ? 0 : g[i] >>> BITS;
            if (size == 0 || ctx[size - 1] != context) {
                ctx[size] = context;
                kinds[size] = new int[3];
                size++;
            }
            tot[size - 1] += c[i];
            kinds[size - 1][Math.min(c[i], 3) - 1]++;
        }
        contexts[n - 1] = Arrays.copyOf(ctx, size);
        totals[n - 1] = Arrays.copyOf(tot, size);
        countsOfKind[n - 1] = Arrays.copyOf(kinds, size);
    }

    /**
     * Chen and Goodman's estimates. On tiny data a count-of-counts can be zero and a formula undefined or outside
     * [0, k]: then D_k falls back to the plain absolute discount 0.5 k (half of what the count allows), clamped into
     * [0, k] like every estimate, so the model stays a proper distribution.
     */
    private static double[] estimateDiscounts(int[] counts) {
        long[] n = new long[5];
        for (int c : counts) {
            if (c <= 4) {
                n[c]++;
            }
        }
        double y = n[1] + 2 * n[2] == 0 ? Double.NaN : (double) n[1] / (n[1] + 2 * n[2]);
        double[] d = {
            1 - 2 * y * n[2] / n[1],
            2 - 3 * y * n[3] / n[2],
            3 - 4 * y * n[4] / n[3]};
        for (int k = 0; k < 3; k++) {
            if (!Double.isFinite(d[k])) {
                d[k] = 0.5 * (k + 1);
            }
            d[k] = Math.clamp(d[k], 0, k + 1);
        }
        return d;
    }

    /** Every n-gram of the stream (by end position n-1 .. end), packed, sorted. */
    private static long[] occurrences(int[] stream, int n) {
        if (stream.length < n) {
            return new long[0];
        }
        long[] out = new long[stream.length - n + 1];
        long mask = mask(n);
        long packed = 0;
        for (int i = 0; i < stream.length; i++) {
            packed = ((packed << BITS) | stream[i]) & mask;
            if (i >= n - 1) {
                out[i - n + 1] = packed;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static long mask(int n) {
        return n >= MAX_ORDER ? -1L : (1L << (BITS * n)) - 1;
    }

    private static long[] distinct(long[] sorted) {
        long[] out = new long[sorted.length];
        int size = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                out[size++] = sorted[i];
            }
        }
        return Arrays.copyOf(out, size);
    }

    /** How often each distinct value of {@code sorted} occurs, in the order of {@link #distinct}. */
    private static int[] runLengths(long[] sorted, int distinct) {
        int[] out = new int[distinct];
        int at = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                at++;
            }
            out[at]++;
        }
        return out;
    }
}
