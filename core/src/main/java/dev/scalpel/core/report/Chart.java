package dev.scalpel.core.report;

/** A chart that keeps its data: drawn to SVG by {@link SvgChart}, listed number by number in the JSON form. */
public sealed interface Chart extends Block permits LineChart, BarChart {
    /** Shown above the plot and as the figure's caption. */
    String title();
}
