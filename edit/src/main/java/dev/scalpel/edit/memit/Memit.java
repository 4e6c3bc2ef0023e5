package dev.scalpel.edit.memit;

import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LayerwiseEditor;

/**
 * MEMIT (Meng et al. 2023): Delta = R K^T (lambda C0 + K_prev K_prev^T + K K^T)^-1, solved in float64 as
 * (lambda C0 + K_prev K_prev^T + K K^T) X = K, Delta = R X^T. In sequential editing the keys of earlier batches enter
 * the normal equations (K_prev), as in the lifelong-editing papers' MEMIT baseline.
 */
public final class Memit extends LayerwiseEditor<MemitHyperparameters> {

    /** MEMIT with ENCORE's most-probable early stopping: one of ENCORE's ablations (EncoreAblations), named so. */
    public static final String WITH_EARLY_STOPPING = "memit+mpes";

    public Memit(EditContext context, MemitHyperparameters hp) {
        super(context, hp, "previousKeys");
    }

    @Override
    public String name() {
        return hp.value().mpesExtra() >= 0 ? WITH_EARLY_STOPPING : "memit";
    }

    @Override
    protected Matrix update(int layer, Matrix keys, Matrix residual) {
        Matrix delta = closedForm(context.secondMoments().get(layer), hp.covarianceWeight(), editedKeys.get(layer), keys,
                residual);
        editedKeys.add(layer, keys);
        return delta;
    }

    /**
     * argmin_Delta ||Delta K - R||^2 + lambda tr(Delta C0 Delta^T) + tr(Delta Kp Delta^T), i.e.
     * Delta = R K^T (lambda C0 + Kp + K K^T)^-1, solved as (lambda C0 + Kp + K K^T) X = K, Delta = R X^T.
     *
     * @param previous sum of earlier batches' K K^T, or null
     */
    public static Matrix closedForm(Matrix c0, double lambda, Matrix previous, Matrix keys, Matrix residual) {
        Matrix a = c0.scale(lambda).plus(gram(keys));
        if (previous != null) {
            a = a.plus(previous);
        }
        Matrix x = Linalg.solve(a, keys);                 // [d_ff, n]
        return residual.times(x.transpose());             // [d_model, d_ff]
    }
}
