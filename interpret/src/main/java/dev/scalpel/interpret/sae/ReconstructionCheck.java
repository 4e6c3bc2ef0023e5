package dev.scalpel.interpret.sae;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How well an SAE reconstructs a sample of activations, measured when it is loaded because a wrong pairing of SAE
 * and activations gives no error, only meaningless features. The usual slips, all reported by SAELens users: the
 * activations come from another hook (often the neighboring layer: {@code resid_pre} of layer L is
 * {@code resid_post} of L-1), they include BOS / attention-sink positions (norms tens of times the others'; Gemma
 * Scope was trained without them), or they are scaled differently from the training activations.
 *
 * @param rows rows measured
 * @param fvu fraction of variance unexplained, {@code sum |x - x_hat|^2 / sum |x - mean(x)|^2} (0 is perfect, 1 is
 *     no better than predicting the mean)
 * @param meanL0 mean number of active features per row
 * @param meanCosine mean cosine similarity between each row and its reconstruction
 * @param normRatio {@code sum |x_hat| / sum |x|}: far from 1 suggests a scale mismatch
 * @param outlierRows rows whose norm exceeds {@value #OUTLIER_FACTOR} times the median row norm (BOS-like)
 * @param fvuWithoutOutliers the FVU of the other rows; NaN when there are no outliers or fewer than 2 other rows
 */
public record ReconstructionCheck(long rows, double fvu, double meanL0, double meanCosine, double normRatio,
                                  int outlierRows, double fvuWithoutOutliers) {

    /** SAEs used in practice reconstruct well under this; above it the features are not to be trusted. */
    public static final double DEFAULT_MAX_FVU = 0.5;
    /** A row this many times the median norm is treated as a BOS / attention-sink position. */
    public static final double OUTLIER_FACTOR = 10;

    /** Whether the check passed, and a message that says why not and what to look at. */
    public record Verdict(boolean passed, String message) {}

    /**
     * Encodes and decodes {@code x} and measures the reconstruction.
     *
     * @param x rows {@code [n, d_in]}, n at least 2, of the activations the SAE is meant for
     * @throws IllegalArgumentException if x is not {@code [n >= 2, d_in]}
     */
    public static ReconstructionCheck measure(SparseAutoencoder sae, NDArray x) {
        long[] shape = x.getShape().getShape();
        if (shape.length != 2 || shape[1] != sae.dIn()) {
            throw new IllegalArgumentException("activations have shape " + x.getShape() + " but the SAE reads rows of"
                    + " d_in " + sae.dIn() + " (a sample [n, " + sae.dIn() + "] is needed; another width means another"
                    + " model or hook type)");
        }
        if (shape[0] < 2) {
            throw new IllegalArgumentException("at least 2 rows are needed to measure explained variance, got "
                    + shape[0]);
        }
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray in = x.toType(DataType.FLOAT32, true);
            in.attach(scope);
            NDArray f = sae.encode(in);
            f.attach(scope);
            NDArray xHat = sae.decode(f);
            xHat.attach(scope);
            double[] errSq = doubles(in.sub(xHat).square().sum(new int[] {1}));
            double[] xNorm = doubles(in.norm(new int[] {1}));
            double[] xHatNorm = doubles(xHat.norm(new int[] {1}));
            double[] dot = doubles(in.mul(xHat).sum(new int[] {1}));
            double[] l0 = doubles(f.gt(0f).toType(DataType.FLOAT32, false).sum(new int[] {1}));
            int n = errSq.length;

            double[] sorted = xNorm.clone();
            Arrays.sort(sorted);
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            boolean[] keep = new boolean[n];
            int outliers = 0;
            for (int i = 0; i < n; i++) {
                keep[i] = !(xNorm[i] > OUTLIER_FACTOR * median);
                outliers += keep[i] ? 0 : 1;
            }
            boolean[] all = new boolean[n];
            Arrays.fill(all, true);
            double fvu = fvu(in, errSq, all, scope);
            double fvuRest = outliers > 0 && n - outliers >= 2 ? fvu(in, errSq, keep, scope) : Double.NaN;

            double cosine = 0;
            double l0Sum = 0;
            double normIn = 0;
            double normOut = 0;
            for (int i = 0; i < n; i++) {
                double denom = xNorm[i] * xHatNorm[i];
                cosine += denom > 0 ? dot[i] / denom : 0;
                l0Sum += l0[i];
                normIn += xNorm[i];
                normOut += xHatNorm[i];
            }
            return new ReconstructionCheck(n, fvu, l0Sum / n, cosine / n, normIn > 0 ? normOut / normIn : Double.NaN,
                    outliers, fvuRest);
        }
    }

    /** FVU over the rows marked in {@code rows}, centring them on their own mean. */
    private static double fvu(NDArray x, double[] errSq, boolean[] rows, NDManager scope) {
        float[] mask = new float[rows.length];
        int count = 0;
        double err = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i]) {
                mask[i] = 1;
                count++;
                err += errSq[i];
            }
        }
        NDArray m = scope.create(mask).reshape(-1, 1).toDevice(x.getDevice(), false);
        NDArray mean = Scalars.div(x.mul(m).sum(new int[] {0}), (float) count);
        double[] centered = doubles(x.sub(mean).square().sum(new int[] {1}).mul(m.reshape(-1)));
        double total = 0;
        for (double c : centered) {
            total += c;
        }
        if (total == 0) {
            return err == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return err / total;
    }

    private static double[] doubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The verdict at {@link #DEFAULT_MAX_FVU}. */
    public Verdict verdict() {
        return verdict(DEFAULT_MAX_FVU);
    }

    /** Passes when FVU is at most {@code maxFvu}; otherwise the message names the likely causes, best evidence first. */
    public Verdict verdict(double maxFvu) {
        String numbers = String.format(Locale.ROOT, "FVU %.3f on %d rows (mean L0 %.1f, mean cosine %.3f,"
                + " |x_hat|/|x| %.2f)", fvu, rows, meanL0, meanCosine, normRatio);
        if (fvu <= maxFvu) {
            return new Verdict(true, "reconstruction OK: " + numbers);
        }
        List<String> evidence = new ArrayList<>();
        if (outlierRows > 0) {
            evidence.add(String.format(Locale.ROOT, "%d row(s) have norms over %.0fx the median, as BOS / attention-sink"
                    + " positions do%s; leave those positions out (SAEs such as Gemma Scope were trained without BOS)",
                    outlierRows, OUTLIER_FACTOR, Double.isNaN(fvuWithoutOutliers) ? ""
                            : String.format(Locale.ROOT, ", and without them FVU is %.3f", fvuWithoutOutliers)));
        }
        if (meanL0 < 1) {
            evidence.add("almost no feature fires: the activations are likely much smaller than the SAE's training"
                    + " activations (scale or normalization) or come from another hook");
        } else if (normRatio < 0.5 || normRatio > 2) {
            evidence.add(String.format(Locale.ROOT, "reconstructions are %.2fx the inputs' norm: the activations are"
                    + " likely scaled differently from the SAE's training activations", normRatio));
        }
        StringBuilder message = new StringBuilder("poor reconstruction: ").append(numbers)
                .append(String.format(Locale.ROOT, " exceeds %.2f.", maxFvu));
        if (!evidence.isEmpty()) {
            message.append(" Most likely: ").append(String.join("; ", evidence)).append('.');
        }
        message.append(" Check (1) the hook: the activations must come from exactly the SAE's hook point");
        message.append(" and layer; an off-by-one layer (resid_pre of layer L is resid_post of L-1) is the usual slip;");
        message.append(" (2) BOS positions: drop them before encoding; (3) activation scaling: give raw activations at");
        message.append(" the hook, without normalization or rescaling the SAE was not trained with.");
        return new Verdict(false, message.toString());
    }
}
