package dev.scalpel.core.report;

/**
 * A {@link Report} as one self-contained HTML page: styles inline, charts inline as SVG, no scripts and nothing
 * fetched, so the file can be mailed, archived or committed and still reads the same.
 */
public final class HtmlRenderer {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;"
            + "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
            + "padding:4px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
            + "th{background:#f3f3f3}caption{text-align:left;font-weight:600;padding:.3em 0}pre{background:#f6f8fa;"
            + "padding:.8em;overflow-x:auto;white-space:pre-wrap}h2{border-bottom:1px solid #ddd;padding-bottom:.2em}";

    private HtmlRenderer() {
    }

    public static String render(Report report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>")
                .append(escape(report.title())).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>").append(escape(report.title())).append("</h1>\n");
        for (Section section : report.sections()) {
            if (!section.heading().isEmpty()) {
                html.append("<h2>").append(escape(section.heading())).append("</h2>\n");
            }
            section.blocks().forEach(b -> block(html, b));
        }
        return html.append("</body></html>\n").toString();
    }

    private static void block(StringBuilder html, Block block) {
        switch (block) {
            case Paragraph p -> html.append("<p>").append(escape(p.text())).append("</p>\n");
            case Preformatted p -> html.append("<pre>").append(escape(p.text())).append("</pre>\n");
            case Table t -> table(html, t);
            case Chart c -> figure(html, SvgChart.render(c), c.title());
            case SvgFigure f -> figure(html, f.svg(), f.caption());
        }
    }

    private static void table(StringBuilder html, Table t) {
        html.append("<table>");
        if (!t.label().isEmpty()) {
            html.append("<caption>").append(escape(t.label())).append("</caption>");
        }
        html.append("<tr>");
        t.header().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (var row : t.rows()) {
            html.append("<tr>");
            for (Cell c : row) {
                html.append(c.numeric() ? "<td class='n'>" : "<td>").append(escape(c.formatted())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void figure(StringBuilder html, String svg, String caption) {
        html.append("<figure>").append(svg).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace("\"", "&quot;");
    }
}
