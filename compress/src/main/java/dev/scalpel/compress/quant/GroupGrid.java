package dev.scalpel.compress.quant;

/**
 * One row-group's quantization grid: {@code w_hat = scale (q - zero)} for codes q in [0, 2^b - 1]. The arithmetic is the
 * GPTQ reference's Quantizer in float32 (the scale and zero are what a checkpoint stores), with rounding half to even
 * as torch.round does.
 */
public record GroupGrid(float scale, int zero, int maxCode) {

    /** The grid for weights whose smallest value is {@code min} and largest {@code max}. */
    public static GroupGrid fit(double min, double max, QuantizationScheme scheme) {
        float low = (float) Math.min(0, min);
        float high = (float) Math.max(0, max);
        if (scheme.symmetric()) {
            high = Math.max(Math.abs(low), high);
            if (low < 0) {
                low = -high;
            }
        }
        if (low == 0 && high == 0) {   // an all-zero group: any grid holds it; the reference takes [-1, 1]
            low = -1;
            high = 1;
        }
        int maxCode = scheme.maxCode();
        float scale = (high - low) / maxCode;
        int zero = scheme.symmetric() ? (maxCode + 1) / 2 : (int) Math.rint(-low / scale);
        return new GroupGrid(scale, zero, maxCode);
    }

    /** The grid of {@code values[from, to)}: one row's group, given as offsets into the array that holds it. */
    public static GroupGrid fit(double[] values, int from, int to, QuantizationScheme scheme) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return fit(min, max, scheme);
    }

    /** The code of {@code w}: round(w / scale) + zero, clamped to the grid. */
    public int code(double w) {
        float q = (float) Math.rint((float) w / scale) + zero;
        return (int) Math.max(0, Math.min(maxCode, q));
    }

    /** The weight a code stands for. */
    public double value(int code) {
        return scale * (float) (code - zero);
    }

    /** {@code w} rounded to the grid. */
    public double round(double w) {
        return value(code(w));
    }
}
