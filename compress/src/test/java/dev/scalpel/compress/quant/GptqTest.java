package dev.scalpel.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GPTQ's lazy block updates equal a slow reference that updates every later column after each column is rounded, and
 * GPTQ's output error is below RTN's.
 */
class GptqTest {
    private static final int ROWS = 12;
    private static final int COLS = 48;

    /** Correlated inputs (a few strong directions, as real activations have), and H = 2 X^T X / n. */
    static Matrix inputs(int n, int cols, long seed) {
        Random random = new Random(seed);
        double[] mix = new double[cols * cols];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = random.nextGaussian() * (i % cols < 4 ? 1.0 : 0.2);
        }
        double[] x = new double[n * cols];
        for (int s = 0; s < n; s++) {
            double[] z = new double[cols];
            for (int k = 0; k < cols; k++) {
                z[k] = random.nextGaussian() * (k < 4 ? 3 : 1);
            }
            for (int c = 0; c < cols; c++) {
                double v = 0;
                for (int k = 0; k < cols; k++) {
                    v += z[k] * mix[k * cols + c];
                }
                x[s * cols + c] = v * (1 + c % 5);
            }
        }
        return new Matrix(n, cols, x);
    }

    static Matrix hessian(Matrix x) {
        return Linalg.multiply(x.transpose(), x).scale(2.0 / x.rows());
    }

    /**
     * The slow reference: columns in order (act-order permuted), every later column updated right after each column,
     * with group grids fitted to the weights as they stood when the column's block began (what the reference reads).
     */
    static Matrix slowReference(Matrix weight, Matrix hessian, Gptq.Config config) {
        int cols = weight.cols();
        QuantizationScheme scheme = config.scheme();
        double[][] w = new double[ROWS][cols];
        double[][] h = new double[cols][cols];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < cols; c++) {
                w[r][c] = weight.get(r, c);
            }
        }
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                h[i][j] = hessian.get(i, j);
            }
        }
        Integer[] order = new Integer[cols];
        for (int i = 0; i < cols; i++) {
            order[i] = i;
        }
        if (config.actOrder()) {
            java.util.Arrays.sort(order, (a, b) -> Double.compare(h[b][b], h[a][a]));
        }
        double[][] hp = new double[cols][cols];
        double mean = 0;
        for (int i = 0; i < cols; i++) {
            mean += h[i][i] / cols;
        }
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                hp[i][j] = h[order[i]][order[j]] + (i == j ? config.percentDamping() * mean : 0);
            }
        }
        Matrix u = Linalg.cholesky(Linalg.inverse(Matrix.of(hp))).transpose();
        double[][] wp = new double[ROWS][cols];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < cols; c++) {
                wp[r][c] = w[r][order[c]];
            }
        }
        int width = scheme.groupWidth(cols);
        GroupGrid[] grids = new GroupGrid[ROWS];
        double[][] snapshot = null;
        double[][] result = new double[ROWS][cols];
        for (int c = 0; c < cols; c++) {
            if (c % config.blockSize() == 0) {
                snapshot = new double[ROWS][];
                for (int r = 0; r < ROWS; r++) {
                    snapshot[r] = wp[r].clone();
                }
            }
            for (int r = 0; r < ROWS; r++) {
                if (config.staticGroups()) {
                    int g = order[c] / width;
                    grids[r] = GroupGrid.fit(w[r], g * width, Math.min(cols, (g + 1) * width), scheme);
                } else if (c % width == 0) {
                    grids[r] = GroupGrid.fit(snapshot[r], c, Math.min(cols, c + width), scheme);
                }
                double q = grids[r].round(wp[r][c]);
                result[r][order[c]] = q;
                double err = (wp[r][c] - q) / u.get(c, c);
                for (int j = c + 1; j < cols; j++) {
                    wp[r][j] -= err * u.get(c, j);
                }
            }
        }
        return Matrix.of(result);
    }

    private static double outputError(Matrix w, Matrix hat, Matrix x) {
        return Linalg.multiply(x, w.minus(hat).transpose()).norm();
    }

    @ParameterizedTest(name = "{0} bits, group {1}, act-order {2}, static {3}, block {4}")
    @CsvSource({"4, 0, false, false, 16", "3, 16, false, false, 16", "4, 8, false, false, 16", "2, 16, true, false, 32",
        "4, 16, true, true, 16", "8, 0, true, false, 128"})
    void lazyBlockUpdatesEqualTheColumnByColumnReference(int bits, int groupSize, boolean actOrder, boolean staticGroups,
                                                          int block) {
        Matrix w = RtnTest.randomWeight(ROWS, COLS, 7);
        Matrix h = hessian(inputs(400, COLS, 3));
        var config = new Gptq.Config(new QuantizationScheme(bits, groupSize, false), actOrder, staticGroups, 0.01, block, 4);
        Matrix fast = Gptq.quantize(w, h, config).quantized().dequantize();
        Matrix slow = slowReference(w, h, config);
        int differing = 0;
        for (int i = 0; i < fast.data().length; i++) {
            if (Math.abs(fast.data()[i] - slow.data()[i]) > 1e-6) {
                differing++;   // a weight that sits on a rounding boundary may go either way in float64
            }
        }
        assertTrue(differing <= 1, differing + " of " + fast.data().length + " weights differ from the reference");
    }

    @ParameterizedTest(name = "{0} bits, group {1}")
    @CsvSource({"2, 16", "3, 16", "4, 16", "8, 16", "3, 0", "4, 0"})
    void gptqsOutputErrorIsBelowRtnsOnTheCalibrationInputs(int bits, int groupSize) {
        Matrix w = RtnTest.randomWeight(ROWS, COLS, 11);
        Matrix x = inputs(400, COLS, 5);
        var scheme = new QuantizationScheme(bits, groupSize, false);
        var gptq = Gptq.quantize(w, hessian(x), Gptq.Config.of(scheme));
        double gptqError = outputError(w, gptq.quantized().dequantize(), x);
        double rtnError = outputError(w, Rtn.quantize(w, scheme).dequantize(), x);
        assertTrue(gptqError < rtnError, "GPTQ " + gptqError + " vs RTN " + rtnError);
        assertEquals(0, gptq.retries());
    }

    @Test
    void atSixteenBitsGptqReturnsTheWeights() {
        Matrix w = RtnTest.randomWeight(ROWS, COLS, 13);
        Matrix hat = Gptq.quantize(w, hessian(inputs(400, COLS, 6)),
                Gptq.Config.of(new QuantizationScheme(16, 0, false))).quantized().dequantize();
        double range = 0.4 + 0.25;
        for (int i = 0; i < w.data().length; i++) {
            assertEquals(w.data()[i], hat.data()[i], 2 * range / 65535, "weight " + i);
        }
    }

    @Test
    void deadInputsGetZeroWeightsAndASingularHessianIsDampedUntilItFactors() {
        Matrix w = RtnTest.randomWeight(ROWS, COLS, 17);
        double[] h = hessian(inputs(400, COLS, 8)).data().clone();
        for (int j = 0; j < COLS; j++) {
            h[5 * COLS + j] = 0;
            h[j * COLS + 5] = 0;
        }
        var result = Gptq.quantize(w, new Matrix(COLS, COLS, h), Gptq.Config.of(new QuantizationScheme(4, 0, false)));
        for (int r = 0; r < ROWS; r++) {
            assertEquals(0, result.quantized().dequantize().get(r, 5), 1e-9, "input 5 was never seen");
        }
        // Rank 3 inputs: without damping the Hessian is singular; a tiny damping factor fails, and is raised until
        // the factorization holds.
        Matrix lowRank = hessian(inputs(3, COLS, 9));
        var noDamping = new Gptq.Config(new QuantizationScheme(4, 0, false), false, false, 0, 128, 0);
        assertThrows(ScalpelException.class, () -> Gptq.quantize(w, lowRank, noDamping));
        var retried = Gptq.quantize(w, lowRank, new Gptq.Config(new QuantizationScheme(4, 0, false), false, false, 0,
                128, 12));
        assertTrue(retried.retries() > 0 && retried.damping() > 0, retried.retries() + " retries");
    }
}
