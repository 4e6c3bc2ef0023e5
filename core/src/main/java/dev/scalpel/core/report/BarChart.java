package dev.scalpel.core.report;

import java.util.List;
import java.util.Objects;

/** Horizontal bars, one per labeled value, in the order given. */
public record BarChart(String title, List<Bar> bars) implements Chart {
    public BarChart {
        Objects.requireNonNull(title, "title");
        bars = List.copyOf(bars);
    }

    /** One bar. */
    public record Bar(String label, double value) {
        public Bar {
            Objects.requireNonNull(label, "label");
        }
    }

    /** Bars from parallel lists of labels and values. */
    public static BarChart of(String title, List<String> labels, List<Double> values) {
        if (labels.size() != values.size()) {
            throw new IllegalArgumentException("bar chart '" + title + "': " + labels.size() + " labels but "
                    + values.size() + " values");
        }
        return new BarChart(title, java.util.stream.IntStream.range(0, labels.size())
                .mapToObj(i -> new Bar(labels.get(i), values.get(i))).toList());
    }
}
