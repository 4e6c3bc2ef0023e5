package dev.scalpel.core.report;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** One named line of (x, y) points in x order; a NaN y leaves its point out of the drawing. */
public record Series(String name, List<Double> x, List<Double> y) {
    public Series {
        Objects.requireNonNull(name, "name");
        x = List.copyOf(x);
        y = List.copyOf(y);
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("series '" + name + "': " + x.size() + " x values but " + y.size()
                    + " y values");
        }
    }

    public static Series of(String name, double[] x, double[] y) {
        return new Series(name, Arrays.stream(x).boxed().toList(), Arrays.stream(y).boxed().toList());
    }
}
