package dev.scalpel.core.linalg;

import dev.scalpel.core.ScalpelException;
import org.bytedeco.openblas.global.openblas;

/**
 * Float64 linear algebra through LAPACK (OpenBLAS, natives shipped in the Maven jars): linear solves, Cholesky,
 * symmetric eigendecomposition and SVD, for the methods whose updates are closed-form solves (MEMIT, AlphaEdit,
 * ENCORE, GPTQ). Inputs are never modified.
 */
public final class Linalg {
    private static final int ROW_MAJOR = openblas.LAPACK_ROW_MAJOR;

    static {
        // OpenBLAS's own thread pool and libtorch's OpenMP threads in one process crash (SIGSEGV) once both are busy;
        // the solves here are small next to the model's work, so OpenBLAS runs on the calling thread.
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
    }

    private Linalg() {
    }

    /** {@code a x b} (dgemm). */
    public static Matrix multiply(Matrix a, Matrix b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("cannot multiply " + a + " by " + b);
        }
        double[] c = new double[Math.multiplyExact(a.rows(), b.cols())];
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, a.rows(), b.cols(),
                a.cols(), 1.0, a.data(), a.cols(), b.data(), b.cols(), 0.0, c, b.cols());
        return new Matrix(a.rows(), b.cols(), c);
    }

    /** Solves {@code a x = b} for square {@code a} by LU with partial pivoting (dgesv). */
    public static Matrix solve(Matrix a, Matrix b) {
        square(a, "solve");
        if (b.rows() != a.rows()) {
            throw new IllegalArgumentException("right-hand side " + b + " does not match " + a);
        }
        double[] lu = a.data().clone();
        double[] x = b.data().clone();
        int info = openblas.LAPACKE_dgesv(ROW_MAJOR, a.rows(), b.cols(), lu, a.cols(), new int[a.rows()], x, b.cols());
        check(info, "dgesv", "the matrix is singular (pivot " + info + " is zero)");
        return new Matrix(b.rows(), b.cols(), x);
    }

    /** Solves {@code a x = b} for symmetric positive definite {@code a} by Cholesky (dposv). */
    public static Matrix solveSymmetricPositiveDefinite(Matrix a, Matrix b) {
        square(a, "solveSymmetricPositiveDefinite");
        double[] f = a.data().clone();
        double[] x = b.data().clone();
        int info = openblas.LAPACKE_dposv(ROW_MAJOR, (byte) 'L', a.rows(), b.cols(), f, a.cols(), x, b.cols());
        check(info, "dposv", "the matrix is not positive definite (leading minor " + info + ")");
        return new Matrix(b.rows(), b.cols(), x);
    }

    /** The lower-triangular {@code l} with {@code l l^T = a} (dpotrf). */
    public static Matrix cholesky(Matrix a) {
        square(a, "cholesky");
        double[] f = a.data().clone();
        int info = openblas.LAPACKE_dpotrf(ROW_MAJOR, (byte) 'L', a.rows(), f, a.cols());
        check(info, "dpotrf", "the matrix is not positive definite (leading minor " + info + ")");
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                f[i * n + j] = 0;   // LAPACK leaves the upper triangle as it was
            }
        }
        return new Matrix(n, n, f);
    }

    /** The inverse of a square matrix (via a solve against the identity). */
    public static Matrix inverse(Matrix a) {
        return solve(a, Matrix.identity(a.rows()));
    }

    /**
     * Eigenvalues in ascending order and the orthonormal eigenvectors as the columns of {@code vectors}, for a
     * symmetric matrix (dsyevd; only the lower triangle is read).
     */
    public record Eigen(double[] values, Matrix vectors) {
    }

    public static Eigen symmetricEigen(Matrix a) {
        square(a, "symmetricEigen");
        double[] v = a.data().clone();
        double[] w = new double[a.rows()];
        int info = openblas.LAPACKE_dsyevd(ROW_MAJOR, (byte) 'V', (byte) 'L', a.rows(), v, a.cols(), w);
        check(info, "dsyevd", "the eigensolver did not converge");
        return new Eigen(w, new Matrix(a.rows(), a.cols(), v));
    }

    /** {@code a = u diag(s) vt}, singular values descending (dgesdd, thin). */
    public record Svd(Matrix u, double[] s, Matrix vt) {
    }

    public static Svd svd(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double[] copy = a.data().clone();
        double[] s = new double[k];
        double[] u = new double[m * k];
        double[] vt = new double[k * n];
        int info = openblas.LAPACKE_dgesdd(ROW_MAJOR, (byte) 'S', m, n, copy, n, s, u, k, vt, n);
        check(info, "dgesdd", "the SVD did not converge");
        return new Svd(new Matrix(m, k, u), s, new Matrix(k, n, vt));
    }

    private static void square(Matrix a, String op) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(op + " needs a square matrix, got " + a);
        }
    }

    private static void check(int info, String routine, String problem) {
        if (info < 0) {
            // LAPACKE checks its matrix arguments for NaN first; a bad dimension cannot reach here (the callers check).
            throw new ScalpelException(routine + ": argument " + (-info) + " is invalid (LAPACKE reports this when a"
                    + " matrix holds NaN or infinity: something upstream diverged)");
        }
        if (info > 0) {
            throw new ScalpelException(routine + ": " + problem);
        }
    }
}
