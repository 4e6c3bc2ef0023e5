package dev.scalpel.lab.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kneser-Ney baseline against a naive oracle written straight from Chen and Goodman's formulas (maps of lists, by
 * recursion), against hand-computed discounts, and against the properties any language model must have.
 */
class KneserNeyTest {

    @Test
    void everyProbabilityEqualsTheNaiveOraclesForSeenAndUnseenContexts() {
        Random random = new Random(3);
        int vocab = 7;
        int[] stream = new int[400];
        for (int i = 0; i < stream.length; i++) {
            // Skewed and partly predictable, so that counts of 1, 2, 3 and 4+ all occur at every order.
            stream[i] = i > 0 && random.nextDouble() < 0.4 ? (stream[i - 1] + 1) % vocab : (int) Math.min(vocab - 1,
                    Math.abs(random.nextGaussian() * 2.5));
        }
        for (int order : new int[] {1, 2, 3, 4}) {
            KneserNey model = KneserNey.train(stream, order, vocab);
            Oracle oracle = new Oracle(stream, order, vocab);
            for (int n = 1; n <= order; n++) {
                assertArrayEquals(oracle.discounts(n), model.discounts(n), 1e-12, "order " + order + " discounts " + n);
            }
            for (int a = 0; a < vocab; a++) {
                for (int b = 0; b < vocab; b++) {
                    for (int c = 0; c < vocab; c++) {
                        int[] history = {a, b, c};
                        for (int w = 0; w < vocab; w++) {
                            assertEquals(oracle.probability(List.of(a, b, c), w), model.probability(history, w), 1e-12,
                                    "order " + order + " p(" + w + " | " + a + " " + b + " " + c + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyDistributionSumsToOneAndLeavesNoTokenImpossible() {
        int[] stream = {0, 1, 2, 3, 1, 2, 3, 1, 2, 4, 0, 1, 2, 3};
        KneserNey model = KneserNey.train(stream, 4, 9);
        for (int[] history : new int[][] {{}, {1}, {1, 2}, {0, 1, 2}, {8, 8, 8}, {5, 6}, {3, 1, 2, 3, 1, 2}}) {
            double sum = 0;
            for (int w = 0; w < 9; w++) {
                double p = model.probability(history, w);
                assertTrue(p > 0, "p(" + w + ") > 0");
                sum += p;
            }
            assertEquals(1, sum, 1e-9, "history " + java.util.Arrays.toString(history));
        }
    }

    @Test
    void discountsFollowChenAndGoodmanOnHandCountedData() {
        // Bigrams (the highest order, raw counts) of 0 1 0 1 0 1 2 0 1 2 3 0 1: (0,1) x5, (1,0) x2, (1,2) x2, (2,0),
        // (2,3), (3,0) once each. n1 = 3, n2 = 2, n3 = 0, n4 = 0, so Y = 3 / (3 + 4) = 3/7, D1 = 1 - 2 (3/7) (2/3) = 3/7,
        // D2 = 2 - 3 (3/7) (0/2) = 2, D3+ undefined (0/0): the fallback 0.5 x 3 = 1.5.
        int[] stream = {0, 1, 0, 1, 0, 1, 2, 0, 1, 2, 3, 0, 1};
        KneserNey model = KneserNey.train(stream, 2, 4);
        assertArrayEquals(new double[] {3.0 / 7, 2, 1.5}, model.discounts(2), 1e-12);
        // Unigram continuation counts (distinct left neighbors): 0 <- {1, 2, 3}: 3; 1 <- {0}: 1; 2 <- {1}: 1;
        // 3 <- {2}: 1. n1 = 3, n2 = 0, n3 = 1: Y = 1, D1 = 1, D2 undefined (0/0) -> 1.0, D3+ = 3 - 4 (0/1) = 3.
        assertArrayEquals(new double[] {1, 1, 3}, model.discounts(1), 1e-12);
        // p(1 | 0) by hand: c(0 1) = 5, c(0 .) = 5, one distinct follower seen 3+ times, so
        // p = (5 - 1.5 + 1.5 p1(1)) / 5 with p1(1) = (max(1 - D1, 0) + (D1 * 3 + D3 * 1) / 4 ... ) computed below.
        double unigramBackoff = (1.0 * 3 + 3.0 * 1) / 6;                    // (D1 N1 + D3 N3+) / total continuations 6
        double p1 = (Math.max(1 - 1.0, 0) + unigramBackoff * 0.25);         // 1/V = 1/4 below the unigrams
        assertEquals((5 - 1.5 + 1.5 * p1) / 5, model.probability(new int[] {0}, 1), 1e-12);
    }

    @Test
    void orderOneIsTheDiscountedUnigramInterpolatedWithTheUniform() {
        // At order 1 the unigrams are the highest order, so raw counts: p(w) = (max(c(w) - D(c(w)), 0) + gamma / V) / N.
        int[] stream = {0, 0, 0, 0, 1, 1, 2};
        KneserNey model = KneserNey.train(stream, 1, 5);
        double[] d = model.discounts(1);
        double gamma = d[0] * 1 + d[1] * 1 + d[2] * 1;                     // one token each seen once, twice, 4 times
        int[] count = {4, 2, 1, 0, 0};
        for (int w = 0; w < 5; w++) {
            double discounted = count[w] == 0 ? 0 : Math.max(count[w] - d[Math.min(count[w], 3) - 1], 0);
            assertEquals((discounted + gamma / 5) / 7, model.probability(new int[] {3, 3}, w), 1e-12, "p(" + w + ")");
        }
    }

    @Test
    void perplexityScoresExactlyTheTargetsOfTheTransformersWindows() {
        Random random = new Random(11);
        int[] stream = new int[530];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = random.nextInt(6);
        }
        KneserNey model = KneserNey.train(stream, 3, 6);
        // 530 tokens in windows of 50: 10 windows; rows 4 -> 2 batches -> windows 0..7; the rest is not scored.
        assertEquals(plainLoop(model, stream, 50, new int[] {0, 1, 2, 3, 4, 5, 6, 7}), model.perplexity(stream, 50, 4), 1e-12);
        // Fewer windows than rows: one batch wraps round (windows 0, 1, 2, 0, 1).
        int[] short3 = java.util.Arrays.copyOf(stream, 160);
        assertEquals(plainLoop(model, short3, 50, new int[] {0, 1, 2, 0, 1}), model.perplexity(short3, 50, 5), 1e-12);
    }

    @Test
    void trainingTextIsLikelierThanShuffledTextAndARepeatingStreamIsAlmostCertain() {
        Random random = new Random(5);
        int[] text = new int[5000];
        for (int i = 0; i < text.length; i++) {
            text[i] = i % 7 == 0 ? random.nextInt(20) : (text[i - 1] * 3 + 1) % 20;
        }
        KneserNey model = KneserNey.train(text, 4, 20);
        int[] shuffled = text.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        assertTrue(model.perplexity(text, 100, 4) < 0.5 * model.perplexity(shuffled, 100, 4));
        int[] cycle = new int[3000];
        for (int i = 0; i < cycle.length; i++) {
            cycle[i] = 1 + i % 3;
        }
        double ppl = KneserNey.train(cycle, 4, 10).perplexity(cycle, 100, 2);
        assertTrue(ppl > 1 && ppl < 1.1, "a deterministic stream: " + ppl);
    }

    @Test
    void badInputIsRefusedWithTheProblemNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KneserNey.train(new int[] {1}, 4, 70_000))
                .getMessage().contains("70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KneserNey.train(new int[] {1, 9}, 2, 5))
                .getMessage().contains("token 9 at position 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KneserNey.train(new int[] {1}, 0, 5))
                .getMessage().contains("order"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KneserNey.train(new int[] {1}, 5, 5))
                .getMessage().contains("order"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KneserNey.train(new int[0], 2, 5))
                .getMessage().contains("empty"));
        KneserNey model = KneserNey.train(new int[] {1, 2, 3}, 2, 5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.perplexity(new int[] {1, 2}, 4, 1))
                .getMessage().contains("shorter than one window"));
    }

    private static double plainLoop(KneserNey model, int[] stream, int length, int[] windows) {
        double sum = 0;
        int n = 0;
        for (int w : windows) {
            for (int pos = 1; pos < length; pos++) {
                int[] history = java.util.Arrays.copyOfRange(stream, w * length, w * length + pos);
                sum -= model.logProbability(history, stream[w * length + pos]);
                n++;
            }
        }
        return Math.exp(sum / n);
    }

    /** Chen and Goodman's interpolated modified Kneser-Ney, written for clarity, not speed. */
    private static final class Oracle {
        private final int order;
        private final int vocab;
        private final List<Map<List<Integer>, Integer>> countsByOrder = new ArrayList<>();

        Oracle(int[] stream, int order, int vocab) {
            this.order = order;
            this.vocab = vocab;
            Map<List<Integer>, Set<Integer>> leftNeighbors = new HashMap<>();
            Map<List<Integer>, Integer> raw = new HashMap<>();
            for (int n = 1; n <= order; n++) {
                for (int end = n - 1; end < stream.length; end++) {
                    List<Integer> gram = new ArrayList<>();
                    for (int k = end - n + 1; k <= end; k++) {
                        gram.add(stream[k]);
                    }
                    if (n == order) {
                        raw.merge(gram, 1, Integer::sum);
                    }
                    if (end - n >= 0) {
                        leftNeighbors.computeIfAbsent(gram, g -> new HashSet<>()).add(stream[end - n]);
                    }
                }
            }
            for (int n = 1; n <= order; n++) {
                Map<List<Integer>, Integer> counts = new HashMap<>();
                if (n == order) {
                    counts.putAll(raw);
                } else {
                    final int length = n;
                    leftNeighbors.forEach((g, left) -> {
                        if (g.size() == length) {
                            counts.put(g, left.size());
                        }
                    });
                }
                countsByOrder.add(counts);
            }
        }

        double[] discounts(int n) {
            double[] countOfCounts = new double[5];
            for (int c : countsByOrder.get(n - 1).values()) {
                if (c <= 4) {
                    countOfCounts[c]++;
                }
            }
            double y = countOfCounts[1] / (countOfCounts[1] + 2 * countOfCounts[2]);
            double[] d = new double[3];
            for (int k = 1; k <= 3; k++) {
                d[k - 1] = k - (k + 1) * y * countOfCounts[k + 1] / countOfCounts[k];
                if (!Double.isFinite(d[k - 1])) {
                    d[k - 1] = 0.5 * k;
                }
                d[k - 1] = Math.max(0, Math.min(k, d[k - 1]));
            }
            return d;
        }

        double probability(List<Integer> history, int w) {
            List<Integer> h = history.subList(Math.max(0, history.size() - (order - 1)), history.size());
            return p(h, w, h.size() + 1);
        }

        private double p(List<Integer> h, int w, int n) {
            if (n == 0) {
                return 1.0 / vocab;
            }
            List<Integer> context = h.subList(h.size() - (n - 1), h.size());
            double lower = p(h, w, n - 1);
            Map<List<Integer>, Integer> counts = countsByOrder.get(n - 1);
            double total = 0;
            int[] kinds = new int[3];
            for (int v = 0; v < vocab; v++) {
                List<Integer> gram = new ArrayList<>(context);
                gram.add(v);
                int c = counts.getOrDefault(gram, 0);
                total += c;
                if (c > 0) {
                    kinds[Math.min(c, 3) - 1]++;
                }
            }
            if (total == 0) {
                return lower;
            }
            double[] d = discounts(n);
            List<Integer> gram = new ArrayList<>(context);
            gram.add(w);
            int c = counts.getOrDefault(gram, 0);
            double discounted = c == 0 ? 0 : Math.max(c - d[Math.min(c, 3) - 1], 0);
            return (discounted + (d[0] * kinds[0] + d[1] * kinds[1] + d[2] * kinds[2]) * lower) / total;
        }
    }
}
