package dev.scalpel.core.report;

import java.util.List;
import java.util.Objects;

/**
 * Lines over a shared x axis (training curves, a metric as edits accumulate).
 *
 * @param logY plot log10 of the positive values (losses, perplexities); other values are left out
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logY) implements Chart {
    public LineChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        series = List.copyOf(series);
    }

    public static LineChart linear(String title, String xLabel, String yLabel, List<Series> series) {
        return new LineChart(title, xLabel, yLabel, series, false);
    }
}
