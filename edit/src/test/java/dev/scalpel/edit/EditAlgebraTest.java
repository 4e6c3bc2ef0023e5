package dev.scalpel.edit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.alphaedit.AlphaEdit;
import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import dev.scalpel.edit.encore.Encore;
import dev.scalpel.edit.memit.Memit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The closed forms solve the objectives they claim to, checked by means that do not share their code. */
class EditAlgebraTest {
    private final Random random = new Random(5);

    private Matrix gaussian(int r, int c) {
        double[] d = new double[r * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextGaussian();
        }
        return new Matrix(r, c, d);
    }

    private Matrix spd(int n) {
        Matrix a = gaussian(n, n + 2);
        return a.times(a.transpose()).scale(1.0 / n).plus(Matrix.identity(n).scale(0.05));
    }

    /**
     * Row by row, the objective ||Delta K - R||^2 + lambda tr(Delta C0 Delta^T) + tr(Delta Kp Delta^T) is an ordinary
     * least-squares problem: minimize ||M delta - t|| with M = [K^T; sqrt(lambda) L0^T; Lp^T], t = [r; 0; 0]. Solve it
     * with the SVD pseudo-inverse (not the normal equations the closed form uses).
     */
    private Matrix bruteForce(Matrix c0, double lambda, Matrix previous, double lambdaN, Matrix k, Matrix r) {
        int dff = k.rows();
        int n = k.cols();
        Matrix l0 = Linalg.cholesky(c0);
        Matrix lp = previous == null ? null : Linalg.cholesky(previous.plus(Matrix.identity(dff).scale(1e-12)));
        int rows = n + dff + (lp == null ? 0 : dff) + (lambdaN > 0 ? dff : 0);
        Matrix m = Matrix.zeros(rows, dff);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dff; j++) {
                m.set(i, j, k.get(j, i));
            }
        }
        for (int i = 0; i < dff; i++) {
            for (int j = 0; j < dff; j++) {
                m.set(n + i, j, Math.sqrt(lambda) * l0.get(j, i));
                if (lp != null) {
                    m.set(n + dff + i, j, lp.get(j, i));
                }
            }
            if (lambdaN > 0) {
                m.set(rows - dff + i, i, Math.sqrt(lambdaN));
            }
        }
        Linalg.Svd svd = Linalg.svd(m);
        Matrix delta = Matrix.zeros(r.rows(), dff);
        for (int row = 0; row < r.rows(); row++) {
            double[] t = new double[rows];
            for (int i = 0; i < n; i++) {
                t[i] = r.get(row, i);
            }
            // x = V diag(1/s) U^T t
            double[] ut = new double[svd.s().length];
            for (int a = 0; a < ut.length; a++) {
                for (int i = 0; i < rows; i++) {
                    ut[a] += svd.u().get(i, a) * t[i];
                }
                ut[a] /= svd.s()[a];
            }
            for (int j = 0; j < dff; j++) {
                double x = 0;
                for (int a = 0; a < ut.length; a++) {
                    x += svd.vt().get(a, j) * ut[a];
                }
                delta.set(row, j, x);
            }
        }
        return delta;
    }

    @Test
    void memitUpdateSolvesItsLeastSquaresObjective() {
        Matrix c0 = spd(6);
        Matrix k = gaussian(6, 3);
        Matrix r = gaussian(4, 3);
        Matrix kp = gaussian(6, 4);
        Matrix previous = kp.times(kp.transpose());
        Matrix closed = Memit.closedForm(c0, 2.5, previous, k, r);
        Matrix brute = bruteForce(c0, 2.5, previous, 0, k, r);
        assertTrue(closed.minus(brute).norm() < 1e-8 * brute.norm(), "difference " + closed.minus(brute).norm());
        Matrix closedFirst = Memit.closedForm(c0, 2.5, null, k, r);
        assertTrue(closedFirst.minus(bruteForce(c0, 2.5, null, 0, k, r)).norm() < 1e-8 * closedFirst.norm());
    }

    @Test
    void encoreClosedFormZeroesTheGradientOfItsObjective() {
        Matrix c0 = spd(7);
        Matrix k = gaussian(7, 3);
        Matrix r = gaussian(5, 3);
        Matrix kp = gaussian(7, 4);
        Matrix previous = kp.times(kp.transpose());
        double lambdaP = 3;
        double lambdaN = 0.7;
        Matrix d = Encore.closedForm(c0, lambdaP, lambdaN, previous, k, r);
        // d/dDelta: 2 (Delta K - R) K^T + 2 lambda_p Delta C0 + 2 lambda_n Delta + 2 Delta Kp
        Matrix grad = d.times(k).minus(r).times(k.transpose()).plus(d.times(c0).scale(lambdaP)).plus(d.scale(lambdaN))
                .plus(d.times(previous)).scale(2);
        assertTrue(grad.norm() < 1e-9 * (r.norm() * k.norm()), "gradient norm " + grad.norm());
        Matrix brute = bruteForce(c0, lambdaP, previous, lambdaN, k, r);
        assertTrue(d.minus(brute).norm() < 1e-8 * brute.norm());
    }

    @Test
    void alphaEditLeavesKeysOfThePreservedSpaceUnchanged() {
        int n = 8;
        // C0 with 5 large directions (preserved knowledge) and 3 tiny ones (the null space edits may use).
        Linalg.Svd basis = Linalg.svd(gaussian(n, n));
        Matrix u = basis.u();
        double[] s = {9, 7, 5, 3, 2, 1e-4, 1e-5, 1e-6};
        Matrix c0 = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int a = 0; a < n; a++) {
                    v += u.get(i, a) * s[a] * u.get(j, a);
                }
                c0.set(i, j, v);
            }
        }
        var hp = new AlphaEditHyperparameters(List.of(0), ValueHyperparameters.memit(1), 2e-2, false, 10, 1);
        Matrix p = AlphaEdit.nullSpace(c0, hp);
        Matrix k = gaussian(n, 3);
        Matrix r = gaussian(4, 3);
        Matrix cache = gaussian(n, 2).times(gaussian(n, 2).transpose());
        Matrix delta = AlphaEdit.closedForm(p, cache, 10, k, r);
        assertTrue(delta.norm() > 1e-3, "the update is not trivially zero");
        for (int a = 0; a < 5; a++) {
            Matrix preserved = Matrix.zeros(n, 1);
            for (int i = 0; i < n; i++) {
                preserved.set(i, 0, u.get(i, a));
            }
            double moved = delta.times(preserved).norm();
            assertTrue(moved < 1e-6 * delta.norm(), "a preserved key's output moved by " + moved);
        }
    }
}
