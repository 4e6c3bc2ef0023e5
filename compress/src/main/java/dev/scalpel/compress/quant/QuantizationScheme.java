package dev.scalpel.compress.quant;

/**
 * How a weight matrix is quantized: {@code bits} per weight, a grid per row and group of {@code groupSize}
 * consecutive inputs (0: one grid for the whole row), symmetric or asymmetric.
 *
 * <p>Asymmetric grids span [min(0, min w), max(0, max w)] of their group; symmetric ones span [-m, m] with m the largest
 * magnitude, and put the zero point in the middle of the codes ((2^b - 1 + 1) / 2), as the GPTQ reference does.
 */
public record QuantizationScheme(int bits, int groupSize, boolean symmetric) {

    public QuantizationScheme {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("bits must be 2 to 16, got " + bits);
        }
        if (groupSize < 0) {
            throw new IllegalArgumentException("the group size must be 0 (one group per row) or positive, got "
                    + groupSize);
        }
    }

    /** The largest code, 2^bits - 1. */
    public int maxCode() {
        return (1 << bits) - 1;
    }

    /** The inputs per group for a row of {@code columns} inputs: the group size, or the whole row. */
    public int groupWidth(int columns) {
        return groupSize == 0 ? columns : groupSize;
    }

    /** How many groups a row of {@code columns} inputs has (the last may be shorter). */
    public int groups(int columns) {
        int width = groupWidth(columns);
        return (columns + width - 1) / width;
    }

    @Override
    public String toString() {
        return bits + "-bit " + (symmetric ? "symmetric" : "asymmetric") + ", "
                + (groupSize == 0 ? "one group per row" : "groups of " + groupSize);
    }
}
