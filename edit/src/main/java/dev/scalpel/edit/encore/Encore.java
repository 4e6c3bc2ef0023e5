package dev.scalpel.edit.encore;

import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LayerwiseEditor;

/**
 * ENCORE (Gupta et al. 2025): MEMIT's update with a norm constraint and MPES. The closed form (derived from the
 * reference code) for batch t: Delta = R K_t^T (lambda_p C0 + lambda_n I + sum_{s<t} K_s K_s^T + K_t K_t^T)^-1, float64.
 * The lambda_n I term keeps the edited matrix's norm from growing edit after edit; most-probable early stopping
 * ({@link dev.scalpel.edit.ValueHyperparameters#mpesExtra()}) ends each value optimization once the targets are top-1.
 */
public final class Encore extends LayerwiseEditor<EncoreHyperparameters> {

    public Encore(EditContext context, EncoreHyperparameters hp) {
        super(context, hp, "previousKeys");
    }

    @Override
    public String name() {
        return hp.value().mpesExtra() < 0 ? EncoreAblations.MEMIT_NORM : "encore";
    }

    @Override
    protected Matrix update(int layer, Matrix keys, Matrix residual) {
        Matrix delta = closedForm(context.secondMoments().get(layer), hp.covarianceWeight(), hp.normWeight(),
                editedKeys.get(layer), keys, residual);
        editedKeys.add(layer, keys);
        return delta;
    }

    /**
     * argmin_Delta ||Delta K - R||^2 + lambda_p tr(Delta C0 Delta^T) + lambda_n ||Delta||^2 + tr(Delta Kp Delta^T):
     * Delta = R K^T (lambda_p C0 + lambda_n I + Kp + K K^T)^-1.
     */
    public static Matrix closedForm(Matrix c0, double lambdaP, double lambdaN, Matrix previous, Matrix keys,
                                    Matrix residual) {
        Matrix a = c0.scale(lambdaP).plus(Matrix.identity(keys.rows()).scale(lambdaN)).plus(gram(keys));
        if (previous != null) {
            a = a.plus(previous);
        }
        Matrix x = Linalg.solve(a, keys);
        return residual.times(x.transpose());
    }
}
