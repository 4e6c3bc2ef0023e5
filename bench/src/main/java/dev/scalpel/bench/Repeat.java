package dev.scalpel.bench;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/** Runs a measurement a few times after warm-up and keeps every value; the median is reported. */
final class Repeat {
    private Repeat() {
    }

    static double[] runs(int warmup, int repeats, DoubleSupplier measure) {
        for (int i = 0; i < warmup; i++) {
            measure.getAsDouble();
        }
        double[] values = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            values[i] = measure.getAsDouble();
        }
        return values;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
