package dev.scalpel.core.train;

import dev.scalpel.core.model.OwnedArrays;
import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.TransformerModel;
import java.util.SplittableRandom;

/**
 * The MDLM objective (Sahoo et al. 2024) with the log-linear noise schedule and the SUBS parameterization, for a
 * bidirectional model: each sequence draws a time t (low-discrepancy over the batch), each token is masked with
 * probability (1 - eps) t, and the loss is the cross-entropy on masked tokens weighted by
 * d sigma / expm1(sigma) = 1 / t, summed over positions and divided by their number: a Monte Carlo estimate of the
 * negative ELBO per token, so exp(loss) bounds the perplexity.
 */
public final class MaskedDiffusionObjective implements Objective {
    /** MDLM's smallest time, which keeps sigma finite. */
    public static final double EPS = 1e-3;

    private final long maskId;
    private final long seed;

    public MaskedDiffusionObjective(long maskId, long seed) {
        this.maskId = maskId;
        this.seed = seed;
    }

    /** A masking drawn for one batch: the noised ids and each row's time. */
    public record Noise(long[] noisedIds, boolean[] masked, double[] times) {
    }

    /** The noise of batch {@code step}: a pure function of the seed and the step, so runs resume exactly. */
    public Noise noise(long[] ids, int batch, int seq, long step) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        double offset = r.nextDouble();
        double[] t = new double[batch];
        long[] noised = ids.clone();
        boolean[] masked = new boolean[ids.length];
        for (int b = 0; b < batch; b++) {
            // Low-discrepancy sampling of t: one uniform offset, rows spread evenly (MDLM's antithetic sampling).
            double u = (offset + (double) b / batch) % 1.0;
            t[b] = EPS + (1 - EPS) * u;
            double moveChance = (1 - EPS) * t[b];
            for (int s = 0; s < seq; s++) {
                if (r.nextDouble() < moveChance) {
                    noised[b * seq + s] = maskId;
                    masked[b * seq + s] = true;
                }
            }
        }
        return new Noise(noised, masked, t);
    }

    @Override
    public NDArray loss(TransformerModel model, NDArray ids, long step, NDManager manager) {
        int batch = (int) ids.getShape().get(0);
        int seq = (int) ids.getShape().get(1);
        long[] x0 = ids.toLongArray();
        Noise n = noise(x0, batch, seq, step);
        NDArray noised = manager.create(n.noisedIds()).reshape(batch, seq);
        NDArray logits = model.forward(ForwardRequest.of(noised), manager).logits();
        return nelbo(logits, ids, n.masked(), n.times(), maskId);
    }

    /**
     * The weighted cross-entropy for given logits [B, S, V]: mask logit removed (SUBS), log-probability of the clean
     * token at masked positions times 1/t, summed and divided by B*S.
     */
    public static NDArray nelbo(NDArray logits, NDArray cleanIds, boolean[] masked, double[] times, long maskId) {
        Shape s = logits.getShape();
        int batch = (int) s.get(0);
        int seq = (int) s.get(1);
        int vocab = (int) s.get(2);
        NDManager m = logits.getManager();
        float[] maskRow = new float[vocab];
        maskRow[(int) maskId] = Float.NEGATIVE_INFINITY;
        NDArray logProbs = logits.add(m.create(maskRow)).logSoftmax(-1);
        NDArray picked = logProbs.gather(cleanIds.toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(-1), -1).squeeze(-1);
        float[] weights = new float[batch * seq];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                weights[b * seq + i] = masked[b * seq + i] ? (float) (1.0 / times[b]) : 0f;
            }
        }
        // A float divisor: a double would turn the 0-d result into float64 (DJL wraps scalars as tensors of their type).
        return Scalars.div(picked.mul(OwnedArrays.of(m, weights, new Shape(batch, seq))).sum(), -(float) batch * seq);
    }
}
