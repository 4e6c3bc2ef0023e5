package dev.scalpel.core.generate;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Picks the next token of one sequence from its logits according to a {@link Sampling}. Works on the candidate set
 * only (after top-k), so sampling from a 150k vocabulary stays cheap.
 */
final class TokenChooser {
    private final Sampling sampling;
    private final SplittableRandom random;

    TokenChooser(Sampling sampling) {
        this.sampling = sampling;
        this.random = new SplittableRandom(sampling.seed());
    }

    int choose(float[] logits) {
        if (sampling.greedy()) {
            return argmax(logits);
        }
        int[] candidates = topK(logits, sampling.topK());
        if (sampling.topP() < 1) {
            sortDescending(candidates, logits);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c : candidates) {
            max = Math.max(max, logits[c] / sampling.temperature());
        }
        double[] probs = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            probs[i] = Math.exp(logits[candidates[i]] / sampling.temperature() - max);
            total += probs[i];
        }
        int kept = candidates.length;
        if (sampling.topP() < 1) {
            // Keep a token while the probability of the tokens more likely than it is below p (transformers' rule).
            double cumulative = 0;
            for (int i = 0; i < candidates.length; i++) {
                if (cumulative >= sampling.topP() * total) {
                    kept = i;
                    break;
                }
                cumulative += probs[i];
            }
        }
        double mass = 0;
        for (int i = 0; i < kept; i++) {
            mass += probs[i];
        }
        double u = random.nextDouble() * mass;
        double acc = 0;
        for (int i = 0; i < kept; i++) {
            acc += probs[i];
            if (u < acc) {
                return candidates[i];
            }
        }
        return candidates[kept - 1];
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Indices whose logit is at least the k-th largest (ties kept, as transformers does); all indices for k = 0. */
    private static int[] topK(float[] logits, int k) {
        if (k <= 0 || k >= logits.length) {
            int[] all = new int[logits.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        PriorityQueue<Float> smallest = new PriorityQueue<>(k);
        for (float v : logits) {
            if (smallest.size() < k) {
                smallest.add(v);
            } else if (v > smallest.peek()) {
                smallest.poll();
                smallest.add(v);
            }
        }
        float kth = smallest.peek();
        return java.util.stream.IntStream.range(0, logits.length).filter(i -> logits[i] >= kth).toArray();
    }

    /** Sorts indices by logit, largest first, ties by index: a primitive sort over (logit, index) keys. */
    private static void sortDescending(int[] idx, float[] logits) {
        long[] keys = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            int bits = Float.floatToIntBits(logits[idx[i]]);
            int ordered = bits < 0 ? ~bits : bits | 0x80000000;     // unsigned order equals float order
            keys[i] = ((long) (~ordered ^ 0x80000000) << 32) | (idx[i] & 0xffffffffL);  // descending logits, signed compare
        }
        Arrays.sort(keys);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (int) keys[i];
        }
    }
}
