package dev.scalpel.edit.alphaedit;

import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.LayerwiseEditor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AlphaEdit (Fang et al., ICLR 2025): the update is projected onto the null space of the preserved knowledge's keys, so
 * outputs for keys in that space cannot change. P = U_hat U_hat^T from the SVD of C0, keeping the singular vectors
 * whose singular values are below the threshold (computed once per layer); the update solves
 * (P (K K^T + cache) + alpha I) X = P K R^T, Delta = X^T; after each batch the edited keys join the cache.
 */
public final class AlphaEdit extends LayerwiseEditor<AlphaEditHyperparameters> {
    private final Map<Integer, Matrix> projections = new HashMap<>();

    public AlphaEdit(EditContext context, AlphaEditHyperparameters hp) {
        super(context, hp, "cache");
    }

    @Override
    public String name() {
        return "alphaedit";
    }

    /** The null-space projector of {@code layer} (and the number of directions it keeps, through its trace). */
    public Matrix projection(int layer) {
        return projections.computeIfAbsent(layer, l -> nullSpace(context.secondMoments().get(l), hp));
    }

    public static Matrix nullSpace(Matrix c0, AlphaEditHyperparameters hp) {
        Linalg.Svd svd = Linalg.svd(c0);
        double threshold = hp.nullspaceRelative() ? hp.nullspaceThreshold() * svd.s()[0] : hp.nullspaceThreshold();
        int n = c0.rows();
        Matrix u = svd.u();
        Matrix p = Matrix.zeros(n, n);
        for (int k = 0; k < svd.s().length; k++) {
            if (svd.s()[k] >= threshold) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double ui = u.get(i, k);
                for (int j = 0; j < n; j++) {
                    p.set(i, j, p.get(i, j) + ui * u.get(j, k));
                }
            }
        }
        return p;
    }

    @Override
    protected Matrix update(int layer, Matrix keys, Matrix residual) {
        return closedForm(projection(layer), editedKeys.get(layer), hp.alphaL2(), keys, residual);
    }

    /** Solves (P (K K^T + cache) + alpha I) X = P K R^T and returns Delta = X^T ([d_model, d_ff]). */
    public static Matrix closedForm(Matrix p, Matrix cache, double alpha, Matrix keys, Matrix residual) {
        Matrix c = cache != null ? cache : Matrix.zeros(keys.rows(), keys.rows());
        Matrix a = p.times(gram(keys).plus(c)).plus(Matrix.identity(keys.rows()).scale(alpha));
        Matrix b = p.times(keys).times(residual.transpose());    // [d_ff, d_model]
        return Linalg.solve(a, b).transpose();
    }

    @Override
    protected void afterBatch(List<EditRequest> batch) {
        for (int layer : context.site().layers()) {
            Matrix keys = context.keys(batch, layer);
            editedKeys.add(layer, keys);
        }
    }
}
