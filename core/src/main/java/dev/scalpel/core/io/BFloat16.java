package dev.scalpel.core.io;

/** Conversions between float and bfloat16 bit patterns (the upper 16 bits of an IEEE float32). */
final class BFloat16 {
    private BFloat16() {}

    /** Widening is exact: the bfloat16 bits become the top half of a float32. */
    static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Nearest bfloat16, ties to even; NaN stays a (quiet) NaN instead of rounding into infinity. */
    static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
