package dev.scalpel.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.linalg.Matrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RTN equals a brute-force quantizer: for each row-group, the nearest of all 2^b grid points, the grid from its range. */
class RtnTest {

    static Matrix randomWeight(int rows, int cols, long seed) {
        Random random = new Random(seed);
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.05 + (i % 7 == 0 ? 0.02 : 0));
        }
        w[3] = 0.4;   // an outlier widens its group's grid
        return new Matrix(rows, cols, w);
    }

    @ParameterizedTest(name = "{0} bits, group {1}, symmetric {2}")
    @CsvSource({"2, 0, false", "3, 16, false", "4, 16, true", "4, 0, true", "8, 32, false", "3, 24, true"})
    void everyWeightGoesToTheNearestPointOfItsGroupsGrid(int bits, int groupSize, boolean symmetric) {
        var scheme = new QuantizationScheme(bits, groupSize, symmetric);
        Matrix w = randomWeight(6, 64, bits * 31L + groupSize);
        QuantizedMatrix q = Rtn.quantize(w, scheme);
        Matrix hat = q.dequantize();
        int width = groupSize == 0 ? 64 : groupSize;
        int maxCode = (1 << bits) - 1;
        for (int r = 0; r < 6; r++) {
            for (int from = 0; from < 64; from += width) {
                int to = Math.min(64, from + width);
                double lo = 0;
                double hi = 0;
                for (int c = from; c < to; c++) {
                    lo = Math.min(lo, w.get(r, c));
                    hi = Math.max(hi, w.get(r, c));
                }
                if (symmetric) {
                    hi = Math.max(-lo, hi);
                    lo = -hi;
                }
                double scale = (hi - lo) / maxCode;
                double zero = symmetric ? (maxCode + 1) / 2 : Math.rint(-lo / scale);
                for (int c = from; c < to; c++) {
                    double best = Double.NaN;
                    for (int code = 0; code <= maxCode; code++) {   // brute force over every point of the grid
                        double point = scale * (code - zero);
                        if (Double.isNaN(best) || Math.abs(point - w.get(r, c)) < Math.abs(best - w.get(r, c)) - 1e-12) {
                            best = point;
                        }
                    }
                    // The nearest point, or one as near: a group's extreme can sit halfway between two points.
                    assertEquals(Math.abs(best - w.get(r, c)), Math.abs(hat.get(r, c) - w.get(r, c)), 1e-5 * scale + 1e-7,
                            "row " + r + " column " + c);
                    double steps = (hat.get(r, c) - best) / scale;
                    assertEquals(0, steps - Math.rint(steps), 1e-4, "on the grid");
                    assertTrue(Math.abs(hat.get(r, c) - w.get(r, c)) <= scale * (symmetric ? 1.0 : 0.5) + 1e-7,
                            "within half a step (a symmetric grid clips one end by a step)");
                }
            }
        }
        assertEquals(64 / width + (64 % width == 0 ? 0 : 1), q.groups());
    }

    @ParameterizedTest(name = "{0} bits")
    @CsvSource({"2", "3", "4", "8"})
    void anAllZeroGroupStaysZeroAndCodesStayOnTheGrid(int bits) {
        double[] w = new double[2 * 8];
        w[9] = -0.3;
        QuantizedMatrix q = Rtn.quantize(new Matrix(2, 8, w), new QuantizationScheme(bits, 4, false));
        assertArrayEquals(new double[4], java.util.Arrays.copyOfRange(q.dequantize().data(), 0, 4), 0);
        for (int code : q.codes()) {
            assertTrue(code >= 0 && code < 1 << bits);
        }
        assertEquals(-0.3, q.dequantize().get(1, 1), 1e-6, "a group's extreme is on its grid");
    }
}
