package dev.scalpel.interpret.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Turns pooled activations into on/off features: {@code x -> 1 if x > t else 0} (MOSAIC's runs use t = 1.0), or with
 * {@code inclusive}, {@code x >= t}. Binarized summation keeps which latents fired strongly somewhere in a text and
 * drops how long the text is, which plain sums confound with the signal.
 *
 * @param threshold t
 * @param inclusive {@code >=} instead of the method's strict {@code >}
 */
public record Binarization(float threshold, boolean inclusive) {
    public Binarization {
        if (!Float.isFinite(threshold)) {
            throw new IllegalArgumentException("binarization threshold must be finite: " + threshold);
        }
    }

    /** The method's rule: 1 where {@code x > t}. */
    public static Binarization above(float threshold) {
        return new Binarization(threshold, false);
    }

    /** 1 where {@code x >= t}. */
    public static Binarization atLeast(float threshold) {
        return new Binarization(threshold, true);
    }

    /** 1f or 0f per element, float32. */
    public NDArray apply(NDArray x) {
        return (inclusive ? x.gte(threshold) : x.gt(threshold)).toType(DataType.FLOAT32, false);
    }

    public float apply(float x) {
        return (inclusive ? x >= threshold : x > threshold) ? 1f : 0f;
    }

    /** {@code >T} or {@code >=T} for reports. */
    public String describe() {
        return (inclusive ? ">=" : ">") + threshold;
    }
}
