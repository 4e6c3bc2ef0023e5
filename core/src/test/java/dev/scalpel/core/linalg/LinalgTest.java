package dev.scalpel.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every factorization reconstructs its input, checked by plain loops that do not trust LAPACK. */
class LinalgTest {
    private static final Random RANDOM = new Random(42);

    static Matrix random(int r, int c) {
        double[] d = new double[r * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = RANDOM.nextGaussian();
        }
        return new Matrix(r, c, d);
    }

    static Matrix naiveProduct(Matrix a, Matrix b) {
        Matrix c = Matrix.zeros(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int k = 0; k < a.cols(); k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    static Matrix spd(int n) {
        Matrix a = random(n, n + 3);
        return naiveProduct(a, a.transpose()).plus(Matrix.identity(n).scale(0.1));
    }

    @Test
    void productMatchesLoops() {
        Matrix a = random(7, 5);
        Matrix b = random(5, 3);
        assertTrue(a.times(b).minus(naiveProduct(a, b)).norm() < 1e-12);
    }

    @Test
    void solveLeavesASmallResidual() {
        Matrix a = random(40, 40);
        Matrix b = random(40, 3);
        Matrix x = Linalg.solve(a, b);
        assertTrue(naiveProduct(a, x).minus(b).norm() < 1e-9 * b.norm());
        Matrix p = spd(30);
        Matrix y = Linalg.solveSymmetricPositiveDefinite(p, b.transpose().times(random(40, 30)).transpose());
        assertTrue(naiveProduct(p, y).norm() > 0);
        assertTrue(naiveProduct(Linalg.inverse(a), a).minus(Matrix.identity(40)).norm() < 1e-9);
    }

    @Test
    void choleskyReconstructsAndIsLowerTriangular() {
        Matrix a = spd(25);
        Matrix l = Linalg.cholesky(a);
        assertTrue(naiveProduct(l, l.transpose()).minus(a).norm() < 1e-10 * a.norm());
        for (int i = 0; i < 25; i++) {
            for (int j = i + 1; j < 25; j++) {
                assertEquals(0.0, l.get(i, j));
            }
        }
        Matrix notPd = Matrix.of(new double[][] {{1, 2}, {2, 1}});
        ScalpelException e = assertThrows(ScalpelException.class, () -> Linalg.cholesky(notPd));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
    }

    @Test
    void symmetricEigenSatisfiesAvEqualsLambdaV() {
        Matrix a = spd(20);
        Linalg.Eigen e = Linalg.symmetricEigen(a);
        for (int k = 0; k < 20; k++) {
            Matrix v = Matrix.zeros(20, 1);
            for (int i = 0; i < 20; i++) {
                v.set(i, 0, e.vectors().get(i, k));
            }
            assertTrue(naiveProduct(a, v).minus(v.scale(e.values()[k])).norm() < 1e-9 * a.norm(), "pair " + k);
            assertEquals(1.0, v.norm(), 1e-12);
            if (k > 0) {
                assertTrue(e.values()[k] >= e.values()[k - 1], "ascending");
            }
        }
    }

    @Test
    void svdReconstructsWithDescendingValues() {
        Matrix a = random(12, 7);
        Linalg.Svd s = Linalg.svd(a);
        Matrix us = s.u().copy();
        for (int i = 0; i < us.rows(); i++) {
            for (int j = 0; j < us.cols(); j++) {
                us.set(i, j, us.get(i, j) * s.s()[j]);
            }
        }
        assertTrue(naiveProduct(us, s.vt()).minus(a).norm() < 1e-10 * a.norm());
        for (int i = 1; i < s.s().length; i++) {
            assertTrue(s.s()[i] <= s.s()[i - 1]);
        }
        Matrix singular = Matrix.of(new double[][] {{1, 2}, {2, 4}});
        assertThrows(ScalpelException.class, () -> Linalg.solve(singular, Matrix.identity(2)));
    }
}
