package dev.scalpel.lab.build;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.TransformerModel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MDLM's ancestral sampler with the log-linear schedule and the SUBS parameterisation (Sahoo et al. 2024): start from
 * all [MASK], step t from 1 down to 0 in T steps; at each step a masked position becomes token v with weight
 * p_x0(v) (t - s) and stays masked with weight s; unmasked positions are kept; the last step fills what is left with
 * the argmax. The network is not time-conditioned, so a step where nothing changed reuses the last prediction.
 */
public final class MdlmSampler {
    private final TransformerModel model;
    private final long maskId;

    public MdlmSampler(TransformerModel model, long maskId) {
        this.model = model;
        this.maskId = maskId;
    }

    /**
     * Samples {@code count} sequences of {@code length} tokens; {@code prefix} (may be empty) is fixed at the start of
     * each and never changed.
     */
    public long[][] sample(int count, int length, long[] prefix, int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[][] x = new long[count][length];
        for (long[] row : x) {
            Arrays.fill(row, maskId);
            System.arraycopy(prefix, 0, row, 0, prefix.length);
        }
        float[][][] probs = null;
        boolean changed = true;
        for (int i = steps; i >= 1; i--) {
            double t = (double) i / steps;
            double s = (double) (i - 1) / steps;
            if (changed || probs == null) {
                probs = predict(x);
            }
            changed = false;
            for (int b = 0; b < count; b++) {
                for (int p = prefix.length; p < length; p++) {
                    if (x[b][p] != maskId) {
                        continue;
                    }
                    float[] px0 = probs[b][p];
                    if (i == 1) {
                        x[b][p] = argmax(px0);
                        changed = true;
                        continue;
                    }
                    // Unmask with probability (t - s) / t; the token then follows p_x0.
                    if (random.nextDouble() < (t - s) / t) {
                        x[b][p] = draw(px0, random);
                        changed = true;
                    }
                }
            }
        }
        return x;
    }

    private float[][][] predict(long[][] x) {
        int count = x.length;
        int length = x[0].length;
        try (NDManager m = model.newManager()) {
            long[] flat = new long[count * length];
            for (int b = 0; b < count; b++) {
                System.arraycopy(x[b], 0, flat, b * length, length);
            }
            NDArray logits = model.forward(ForwardRequest.of(m.create(flat).reshape(count, length)), m).logits();
            int vocab = (int) logits.getShape().get(2);
            float[] maskRow = new float[vocab];
            maskRow[(int) maskId] = Float.NEGATIVE_INFINITY;
            float[] all = logits.add(m.create(maskRow)).softmax(-1).toFloatArray();
            float[][][] out = new float[count][length][];
            for (int b = 0; b < count; b++) {
                for (int p = 0; p < length; p++) {
                    int from = (b * length + p) * vocab;
                    out[b][p] = Arrays.copyOfRange(all, from, from + vocab);
                }
            }
            return out;
        }
    }

    private static long draw(float[] p, SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        int last = 0;
        for (int v = 0; v < p.length; v++) {
            if (p[v] > 0) {
                acc += p[v];
                last = v;
                if (u < acc) {
                    return v;
                }
            }
        }
        return last;
    }

    private static long argmax(float[] p) {
        int best = 0;
        for (int v = 1; v < p.length; v++) {
            if (p[v] > p[best]) {
                best = v;
            }
        }
        return best;
    }
}
