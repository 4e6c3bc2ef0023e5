package dev.scalpel.edit.diagnostics;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Activation drift on a fixed probe set: per layer, the mean L2 norm of what the attention and MLP sublayers add to the
 * residual stream and of the residual stream itself, the edited layers' MLP share of the residual norm ("importance
 * hacking"), and the principal angles between the top-k principal subspaces of each layer's residual stream in the
 * edited and the original model.
 */
public final class ActivationProbe {
    private final long[][] probe;
    private final int k;
    private final Map<Integer, Matrix> originalSubspaces = new LinkedHashMap<>();

    /**
     * @param probe token rows of equal length (held-out text windows)
     * @param k dimension of the principal subspaces compared
     */
    public ActivationProbe(TransformerModel original, long[][] probe, int k) {
        this.probe = probe;
        this.k = k;
        originalSubspaces.putAll(snapshot(original).subspaces);
    }

    /** One layer's numbers. */
    public record LayerActivity(int layer, double attentionNorm, double mlpNorm, double residualNorm, double mlpShare,
                                double meanPrincipalCosine, double largestPrincipalAngleDegrees) {
    }

    private record Snapshot(List<LayerActivity> layers, Map<Integer, Matrix> subspaces) {
    }

    /** The activity of every layer of {@code model} relative to the original's subspaces. */
    public List<LayerActivity> measure(TransformerModel model) {
        return snapshot(model).layers;
    }

    private Snapshot snapshot(TransformerModel model) {
        int layers = model.config().numLayers();
        List<String> hooks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            hooks.add(HookNames.block(l, HookNames.ATTN_OUT));
            hooks.add(HookNames.block(l, HookNames.MLP_OUT));
            hooks.add(HookNames.block(l, HookNames.RESID_POST));
        }
        List<LayerActivity> out = new ArrayList<>();
        Map<Integer, Matrix> subspaces = new LinkedHashMap<>();
        // Equal-length rows: nothing is padded, so no mask is sent and the pass is a plain forward.
        TokenBatch batch = TokenBatch.right(java.util.Arrays.asList(probe), 0).maskedOnlyWhenPadded();
        ActivationStream.of(model, hooks).lastPositionOnly().forward(batch, pass -> {
            for (int l = 0; l < layers; l++) {
                double attn = meanNorm(pass.at(HookNames.block(l, HookNames.ATTN_OUT)));
                double mlp = meanNorm(pass.at(HookNames.block(l, HookNames.MLP_OUT)));
                NDArray resid = pass.at(HookNames.block(l, HookNames.RESID_POST));
                double res = meanNorm(resid);
                Matrix basis = topSubspace(Matrix.from(resid.reshape(-1, resid.getShape().get(2))), k);
                subspaces.put(l, basis);
                double meanCos = Double.NaN;
                double largest = Double.NaN;
                Matrix reference = originalSubspaces.get(l);
                if (reference != null) {
                    double[] cos = Linalg.svd(reference.transpose().times(basis)).s();
                    meanCos = java.util.Arrays.stream(cos).map(c -> Math.min(1, c)).average().orElse(Double.NaN);
                    largest = Math.toDegrees(Math.acos(Math.min(1, cos[cos.length - 1])));
                }
                out.add(new LayerActivity(l, attn, mlp, res, mlp / res, meanCos, largest));
            }
            return null;
        });
        return new Snapshot(out, subspaces);
    }

    private static double meanNorm(NDArray a) {
        return a.square().sum(new int[] {-1}).sqrt().mean().getFloat();
    }

    /** Orthonormal basis ([d, k]) of the top-k principal directions of the centered rows of {@code x}. */
    static Matrix topSubspace(Matrix x, int k) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j) / n;
            }
        }
        Matrix c = x.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c.set(i, j, c.get(i, j) - mean[j]);
            }
        }
        Matrix vt = Linalg.svd(c).vt();               // [min(n,d), d]
        Matrix basis = Matrix.zeros(d, Math.min(k, vt.rows()));
        for (int a = 0; a < basis.cols(); a++) {
            for (int j = 0; j < d; j++) {
                basis.set(j, a, vt.get(a, j));
            }
        }
        return basis;
    }
}
