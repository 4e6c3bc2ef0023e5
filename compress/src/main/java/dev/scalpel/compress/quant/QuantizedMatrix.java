package dev.scalpel.compress.quant;

import dev.scalpel.core.linalg.Matrix;

/**
 * A quantized {@code [rows = out, cols = in]} weight: one code per weight, and per row a grid for each group, with
 * {@code groupOfColumn} naming the group whose grid each input column uses (consecutive columns share a group unless
 * GPTQ's act-order reordered them; the Hugging Face format stores it as g_idx).
 *
 * @param codes row-major codes in [0, 2^bits - 1]
 * @param scales row-major [rows, groups]
 * @param zeros row-major [rows, groups]
 */
public record QuantizedMatrix(int rows, int cols, QuantizationScheme scheme, int groups, int[] codes, float[] scales,
                              int[] zeros, int[] groupOfColumn) {

    public QuantizedMatrix {
        if (codes.length != (long) rows * cols || scales.length != (long) rows * groups || zeros.length != scales.length
                || groupOfColumn.length != cols) {
            throw new IllegalArgumentException("a quantized " + rows + " x " + cols + " matrix with " + groups
                    + " groups needs " + (long) rows * cols + " codes, " + (long) rows * groups + " scales and zeros and "
                    + cols + " group indices; got " + codes.length + ", " + scales.length + ", " + zeros.length + ", "
                    + groupOfColumn.length);
        }
    }

    /** The grid weight (row, col) is on. */
    public GroupGrid grid(int row, int col) {
        int at = row * groups + groupOfColumn[col];
        return new GroupGrid(scales[at], zeros[at], scheme.maxCode());
    }

    /** The weights the codes stand for, as a dequantizing kernel computes them: scale (code - zero). */
    public Matrix dequantize() {
        double[] w = new double[codes.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = grid(r, c).value(codes[r * cols + c]);
            }
        }
        return new Matrix(rows, cols, w);
    }

    /** The group index of every column when consecutive columns share a group (no reordering). */
    static int[] consecutiveGroups(int cols, QuantizationScheme scheme) {
        int width = scheme.groupWidth(cols);
        int[] groups = new int[cols];
        for (int c = 0; c < cols; c++) {
            groups[c] = c / width;
        }
        return groups;
    }
}
