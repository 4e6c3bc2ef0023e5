package dev.scalpel.compress.quant;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * GPTQ for one linear layer, in the reference's order (IST-DASLab/gptq, AutoGPTQ's fasterquant):
 * <ol>
 *   <li>Inputs never seen (H_ii = 0) get H_ii = 1 and their weights 0.</li>
 *   <li>With act-order, columns are visited by descending H_ii (the inputs with the most energy first).</li>
 *   <li>H is damped by {@code percentDamping} x mean(diag H); when the Cholesky factorization fails the damping is
 *       raised tenfold and tried again, up to {@code dampingRetries} times.</li>
 *   <li>U is the upper Cholesky factor of H^-1.</li>
 *   <li>Columns are rounded one at a time within blocks of {@code blockSize}; each column's error (w - q) / U_ii is
 *       spread over the block's later columns at once, and over the columns after the block in one product per block
 *       (the lazy batch update).</li>
 *   <li>With groups, a group's grid is fitted when its first column is reached, to the weights as they stood when that
 *       column's block began (the reference reads its not yet updated copy); with static groups every grid is fitted
 *       up front to the original columns.</li>
 * </ol>
 */
public final class Gptq {
    private Gptq() {
    }

    /**
     * @param percentDamping the damping as a share of the mean diagonal of H (the reference's 0.01; transformers'
     *     GPTQConfig defaults to 0.1)
     * @param dampingRetries how many times a failed Cholesky factorization is retried with ten times the damping
     */
    public record Config(QuantizationScheme scheme, boolean actOrder, boolean staticGroups, double percentDamping,
                         int blockSize, int dampingRetries) {
        public Config {
            if (!(percentDamping >= 0) || blockSize < 1 || dampingRetries < 0) {
                throw new IllegalArgumentException("GPTQ needs a damping of 0 or more, a block size of at least 1 and 0 or"
                        + " more retries; got " + percentDamping + ", " + blockSize + ", " + dampingRetries);
            }
        }

        /** The reference's defaults: damping 0.01, blocks of 128 columns, no act-order, groups fitted as reached. */
        public static Config of(QuantizationScheme scheme) {
            return new Config(scheme, false, false, 0.01, 128, 4);
        }

        public Config withActOrder(boolean actOrder, boolean staticGroups) {
            return new Config(scheme, actOrder, staticGroups, percentDamping, blockSize, dampingRetries);
        }
    }

    /**
     * @param damping the damping added to H's diagonal (after any retries)
     * @param retries how many times the factorization was retried with more damping
     * @param loss the reference's loss: the sum over weights of (w - q)^2 / U_ii^2 / 2
     */
    public record Result(QuantizedMatrix quantized, double damping, int retries, double loss) {
    }

    /** Quantizes {@code weight} ({@code [out, in]}) given the Hessian of its inputs {@code hessian} ({@code [in, in]}). */
    public static Result quantize(Matrix weight, Matrix hessian, Config config) {
        int rows = weight.rows();
        int cols = weight.cols();
        if (hessian.rows() != cols || hessian.cols() != cols) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " weight needs a " + cols + " x " + cols
                    + " Hessian, got " + hessian);
        }
        QuantizationScheme scheme = config.scheme();
        double[] w = weight.data().clone();
        double[] h = hessian.data().clone();
        for (int i = 0; i < cols; i++) {
            if (h[i * cols + i] == 0) {
                h[i * cols + i] = 1;
                for (int r = 0; r < rows; r++) {
                    w[r * cols + i] = 0;
                }
            }
        }
        boolean grouped = scheme.groupSize() > 0;
        int width = scheme.groupWidth(cols);
        int groups = scheme.groups(cols);
        GroupGrid[] grids = new GroupGrid[rows * groups];   // [row, group]
        if (!grouped || config.staticGroups()) {
            for (int r = 0; r < rows; r++) {
                for (int g = 0; g < groups; g++) {
                    grids[r * groups + g] = GroupGrid.fit(w, r * cols + g * width,
                            r * cols + Math.min(cols, (g + 1) * width), scheme);
                }
            }
        }
        int[] perm = IntStream.range(0, cols).toArray();
        if (config.actOrder()) {
            double[] diag = IntStream.range(0, cols).mapToDouble(i -> h[i * cols + i]).toArray();
            perm = IntStream.range(0, cols).boxed().sorted(Comparator.comparingDouble((Integer i) -> -diag[i]))
                    .mapToInt(Integer::intValue).toArray();
            permuteColumns(w, rows, cols, perm);
            permuteSymmetric(h, cols, perm);
        }
        Factor factor = inverseFactor(h, cols, config);
        double[] u = factor.upper();

        int[] codes = new int[rows * cols];             // permuted order
        int[] groupOfPermuted = new int[cols];
        double loss = 0;
        int blockSize = config.blockSize();
        for (int i1 = 0; i1 < cols; i1 += blockSize) {
            int i2 = Math.min(cols, i1 + blockSize);
            int count = i2 - i1;
            double[] block = new double[rows * count];   // the block's columns, updated as columns are rounded
            for (int r = 0; r < rows; r++) {
                System.arraycopy(w, r * cols + i1, block, r * count, count);
            }
            double[] errors = new double[rows * count];
            for (int i = 0; i < count; i++) {
                int col = i1 + i;
                int group = grouped ? (config.staticGroups() ? perm[col] / width : col / width) : 0;
                groupOfPermuted[col] = group;
                if (grouped && !config.staticGroups() && col % width == 0) {
                    for (int r = 0; r < rows; r++) {
                        // w still holds this block's columns as they were when the block began, as in the reference.
                        grids[r * groups + group] = GroupGrid.fit(w, r * cols + col, r * cols + Math.min(cols, col + width),
                                scheme);
                    }
                }
                double d = u[col * cols + col];
                for (int r = 0; r < rows; r++) {
                    GroupGrid grid = grids[r * groups + group];
                    double value = block[r * count + i];
                    int code = grid.code(value);
                    double q = grid.value(code);
                    codes[r * cols + col] = code;
                    double err = (value - q) / d;
                    loss += err * err / 2;
                    errors[r * count + i] = err;
                    for (int j = i + 1; j < count; j++) {
                        block[r * count + j] -= err * u[col * cols + i1 + j];
                    }
                }
            }
            if (i2 < cols) {
                lazyUpdate(w, rows, cols, errors, count, u, i1, i2);
            }
        }

        int[] inverse = new int[cols];
        for (int i = 0; i < cols; i++) {
            inverse[perm[i]] = i;
        }
        int[] originalCodes = new int[rows * cols];
        int[] groupOfColumn = new int[cols];
        for (int c = 0; c < cols; c++) {
            groupOfColumn[c] = groupOfPermuted[inverse[c]];
            for (int r = 0; r < rows; r++) {
                originalCodes[r * cols + c] = codes[r * cols + inverse[c]];
            }
        }
        float[] scales = new float[rows * groups];
        int[] zeros = new int[rows * groups];
        for (int k = 0; k < grids.length; k++) {
            if (grids[k] == null) {   // a group no column reached cannot happen: every group has a first column
                throw new IllegalStateException("GPTQ left group " + k % groups + " of row " + k / groups + " unfitted");
            }
            scales[k] = grids[k].scale();
            zeros[k] = grids[k].zero();
        }
        QuantizedMatrix quantized = new QuantizedMatrix(rows, cols, scheme, groups, originalCodes, scales, zeros,
                groupOfColumn);
        return new Result(quantized, factor.damping(), factor.retries(), loss);
    }

    /** {@code w[:, i2:] -= errors x U[i1:i2, i2:]}, one dgemm. */
    private static void lazyUpdate(double[] w, int rows, int cols, double[] errors, int count, double[] u, int i1,
                                   int i2) {
        int rest = cols - i2;
        double[] tail = new double[count * rest];
        for (int i = 0; i < count; i++) {
            System.arraycopy(u, (i1 + i) * cols + i2, tail, i * rest, rest);
        }
        Matrix update = Linalg.multiply(new Matrix(rows, count, errors), new Matrix(count, rest, tail));
        double[] delta = update.data();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < rest; j++) {
                w[r * cols + i2 + j] -= delta[r * rest + j];
            }
        }
    }

    private record Factor(double[] upper, double damping, int retries) {
    }

    /** The upper Cholesky factor of (H + damping I)^-1, raising the damping tenfold on each failed factorization. */
    private static Factor inverseFactor(double[] h, int cols, Config config) {
        double meanDiagonal = IntStream.range(0, cols).mapToDouble(i -> h[i * cols + i]).average().orElse(0);
        double share = config.percentDamping();
        ScalpelException last = null;
        for (int attempt = 0; attempt <= config.dampingRetries(); attempt++) {
            double damping = share * meanDiagonal;
            double[] damped = h.clone();
            for (int i = 0; i < cols; i++) {
                damped[i * cols + i] += damping;
            }
            try {
                Matrix inverse = Linalg.solveSymmetricPositiveDefinite(new Matrix(cols, cols, damped),
                        Matrix.identity(cols));
                Matrix lower = Linalg.cholesky(symmetrized(inverse));
                return new Factor(lower.transpose().data(), damping, attempt);
            } catch (ScalpelException e) {
                last = e;
                share = share == 0 ? 1e-6 : share * 10;
            }
        }
        throw new ScalpelException("GPTQ: the Hessian is not positive definite even with damping "
                + share / 10 + " x mean(diag H) after " + config.dampingRetries() + " retries (" + last.getMessage()
                + "); more calibration tokens, or a larger --damping, may help");
    }

    /** (A + A^T) / 2: a solve's inverse is symmetric only up to rounding, and Cholesky reads one triangle. */
    private static Matrix symmetrized(Matrix a) {
        int n = a.rows();
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = (a.get(i, j) + a.get(j, i)) / 2;
            }
        }
        return new Matrix(n, n, s);
    }

    private static void permuteColumns(double[] w, int rows, int cols, int[] perm) {
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = w[r * cols + perm[c]];
            }
            System.arraycopy(row, 0, w, r * cols, cols);
        }
    }

    private static void permuteSymmetric(double[] h, int n, int[] perm) {
        double[] copy = Arrays.copyOf(h, h.length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i * n + j] = copy[perm[i] * n + perm[j]];
            }
        }
    }
}
