package dev.scalpel.core.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token of one sequence from its logits according to a {@link Sampling}. */
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
        int v = logits.length;
        double[] scaled = new double[v];
        for (int i = 0; i < v; i++) {
            scaled[i] = logits[i] / sampling.temperature();
        }
        Integer[] order = null;
        boolean[] keep = new boolean[v];
        Arrays.fill(keep, true);
        if (sampling.topK() > 0 && sampling.topK() < v) {
            order = descending(scaled);
            // transformers keeps every token whose logit ties the k-th largest.
            double kth = scaled[order[sampling.topK() - 1]];
            for (int i = 0; i < v; i++) {
                keep[i] = scaled[i] >= kth;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            if (keep[i]) {
                max = Math.max(max, scaled[i]);
            }
        }
        double[] probs = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) {
            probs[i] = keep[i] ? Math.exp(scaled[i] - max) : 0;
            total += probs[i];
        }
        for (int i = 0; i < v; i++) {
            probs[i] /= total;
        }
        if (sampling.topP() < 1) {
            if (order == null) {
                order = descending(scaled);
            }
            double cumulative = 0;
            boolean reached = false;
            double kept = 0;
            for (Integer idx : order) {
                if (!keep[idx]) {
                    continue;
                }
                if (reached) {
                    keep[idx] = false;
                    probs[idx] = 0;
                } else {
                    cumulative += probs[idx];
                    kept += probs[idx];
                    reached = cumulative >= sampling.topP();
                }
            }
            for (int i = 0; i < v; i++) {
                probs[i] /= kept;
            }
        }
        double u = random.nextDouble();
        double acc = 0;
        int last = -1;
        for (int i = 0; i < v; i++) {
            if (probs[i] > 0) {
                acc += probs[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
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

    private static Integer[] descending(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[b], x[a]));
        return idx;
    }
}
