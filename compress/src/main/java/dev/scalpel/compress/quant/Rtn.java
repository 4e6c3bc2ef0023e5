package dev.scalpel.compress.quant;

import dev.scalpel.core.linalg.Matrix;

/** Round to nearest: every weight to the nearest point of its row-group's grid, the grid fitted to the group's range. */
public final class Rtn {
    private Rtn() {
    }

    public static QuantizedMatrix quantize(Matrix weight, QuantizationScheme scheme) {
        int rows = weight.rows();
        int cols = weight.cols();
        int width = scheme.groupWidth(cols);
        int groups = scheme.groups(cols);
        int[] codes = new int[rows * cols];
        float[] scales = new float[rows * groups];
        int[] zeros = new int[rows * groups];
        double[] w = weight.data();
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int from = r * cols + g * width;
                int to = r * cols + Math.min(cols, (g + 1) * width);
                GroupGrid grid = GroupGrid.fit(w, from, to, scheme);
                scales[r * groups + g] = grid.scale();
                zeros[r * groups + g] = grid.zero();
                for (int at = from; at < to; at++) {
                    codes[at] = grid.code(w[at]);
                }
            }
        }
        return new QuantizedMatrix(rows, cols, scheme, groups, codes, scales, zeros,
                QuantizedMatrix.consecutiveGroups(cols, scheme));
    }
}
