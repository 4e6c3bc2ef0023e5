package dev.scalpel.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SVG renderer of {@link Chart}s: small, dependency-free line charts (training curves, metrics over time) and
 * horizontal bar charts. The SVG is self-contained, so it can be inlined in report.html or written to a file.
 */
public final class SvgChart {
    private static final String[] COLORS = {"#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 160;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    private SvgChart() {
    }

    public static String render(Chart chart) {
        return switch (chart) {
            case LineChart c -> lines(c.title(), c.xLabel(), c.yLabel(), c.series(), c.logY());
            case BarChart c -> bars(c.title(), c.bars());
        };
    }

    private static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().size(); i++) {
                double y = transform(s.y().get(i), logY);
                if (!Double.isFinite(y)) {
                    continue;
                }
                minX = Math.min(minX, s.x().get(i));
                maxX = Math.max(maxX, s.x().get(i));
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        if (!(maxY > minY)) {
            maxY = minY + 1;
        }
        double pad = (maxY - minY) * 0.05;
        minY -= pad;
        maxY += pad;
        StringBuilder svg = header(title);
        axes(svg, xLabel, yLabel + (logY ? " (log scale)" : ""), minX, maxX, minY, maxY, logY);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x().size(); i++) {
                double y = transform(s.y().get(i), logY);
                if (!Double.isFinite(y)) {
                    continue;
                }
                path.append(path.isEmpty() ? "M" : " L").append(fmt(px(s.x().get(i), minX, maxX))).append(',').append(fmt(py(y, minY, maxY)));
            }
            svg.append("<path d='").append(path).append("' fill='none' stroke='").append(color).append("' stroke-width='1.6'/>");
            if (s.x().size() <= 40) {
                for (int i = 0; i < s.x().size(); i++) {
                    double y = transform(s.y().get(i), logY);
                    if (Double.isFinite(y)) {
                        svg.append(String.format(Locale.ROOT, "<circle cx='%s' cy='%s' r='2.5' fill='%s'/>",
                                fmt(px(s.x().get(i), minX, maxX)), fmt(py(y, minY, maxY)), color));
                    }
                }
            }
            int ly = TOP + 14 + k * 18;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='3' fill='%s'/>", WIDTH - RIGHT + 12, ly - 4, color));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11'>%s</text>", WIDTH - RIGHT + 28, ly, escape(s.name())));
        }
        return svg.append("</svg>").toString();
    }

    private static String bars(String title, List<BarChart.Bar> bars) {
        List<String> labels = bars.stream().map(BarChart.Bar::label).toList();
        List<Double> values = bars.stream().map(BarChart.Bar::value).toList();
        int row = 20;
        int labelWidth = 230;
        int height = TOP + row * values.size() + 12;
        double max = values.stream().mapToDouble(Math::abs).max().orElse(1);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14' text-anchor='middle'>%s</text>", WIDTH / 2, escape(title)));
        for (int i = 0; i < values.size(); i++) {
            double w = max > 0 ? (WIDTH - labelWidth - 90) * Math.abs(values.get(i)) / max : 0;
            int y = TOP + i * row;
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='end'>%s</text>", labelWidth - 6, y + 13, escape(labels.get(i))));
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%s' height='14' fill='%s'/>", labelWidth, y + 2, fmt(w), COLORS[0]));
            svg.append(String.format(Locale.ROOT, "<text x='%s' y='%d' font-size='11'>%s</text>", fmt(labelWidth + w + 4), y + 13, number(values.get(i))));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder header(String title) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>", WIDTH, HEIGHT));
        svg.append("<rect width='100%' height='100%' fill='white'/>");
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14' text-anchor='middle'>%s</text>",
                (WIDTH - RIGHT + LEFT) / 2, escape(title)));
        return svg;
    }

    private static void axes(StringBuilder svg, String xLabel, String yLabel, double minX, double maxX, double minY,
                             double maxY, boolean logY) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        int y1 = TOP;
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", x0, y0, x1, y0));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", x0, y0, x0, y1));
        for (double t : ticks(minX, maxX)) {
            double x = px(t, minX, maxX);
            svg.append(String.format(Locale.ROOT, "<line x1='%s' y1='%d' x2='%s' y2='%d' stroke='#333'/>", fmt(x), y0, fmt(x), y0 + 4));
            svg.append(String.format(Locale.ROOT, "<text x='%s' y='%d' font-size='10' text-anchor='middle'>%s</text>", fmt(x), y0 + 16, number(t)));
        }
        for (double t : ticks(minY, maxY)) {
            double y = py(t, minY, maxY);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%s' x2='%d' y2='%s' stroke='#eee'/>", x0, fmt(y), x1, fmt(y)));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%s' font-size='10' text-anchor='end'>%s</text>", x0 - 4,
                    fmt(y + 3), number(logY ? Math.pow(10, t) : t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
                (x0 + x1) / 2, HEIGHT - 10, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x='14' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>",
                (y0 + y1) / 2, (y0 + y1) / 2, escape(yLabel)));
    }

    private static List<Double> ticks(double min, double max) {
        double span = max - min;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + 1e-12; t += step) {
            out.add(t);
        }
        return out;
    }

    private static double px(double x, double min, double max) {
        return LEFT + (x - min) / (max - min) * (WIDTH - RIGHT - LEFT);
    }

    private static double py(double y, double min, double max) {
        return HEIGHT - BOTTOM - (y - min) / (max - min) * (HEIGHT - BOTTOM - TOP);
    }

    private static double transform(double y, boolean log) {
        return log ? (y > 0 ? Math.log10(y) : Double.NaN) : y;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String number(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3g", v);
    }

    private static String escape(String s) {
        return HtmlRenderer.escape(s);
    }
}
