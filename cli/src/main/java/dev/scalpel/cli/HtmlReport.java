package dev.scalpel.cli;

import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A self-contained report: {@code report.html} (sections of text, tables and inline SVG bar charts, no external
 * assets) and {@code results.json} beside it.
 */
final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String title;
    private final StringBuilder body = new StringBuilder();

    HtmlReport(String title) {
        this.title = title;
    }

    HtmlReport section(String heading) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        return this;
    }

    HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlReport code(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A horizontal bar chart of labelled values. */
    HtmlReport bars(String caption, List<String> labels, List<Double> values) {
        return figure(dev.scalpel.core.report.SvgChart.bars(caption, labels, values), caption);
    }

    /** An inline SVG figure (see {@link dev.scalpel.core.report.SvgChart}). */
    HtmlReport figure(String svg, String caption) {
        body.append("<figure>").append(svg).append("<figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /** Writes report.html and results.json into {@code folder}; returns the HTML file. */
    Path write(Path folder, Map<String, Object> results) throws IOException {
        Files.createDirectories(folder);
        String html = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                + "th{background:#f3f3f3}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;white-space:pre-wrap}"
                + "h2{border-bottom:1px solid #ddd;padding-bottom:.2em}</style></head><body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "</body></html>\n";
        Path file = folder.resolve("report.html");
        AtomicFiles.writeString(file, html);
        AtomicFiles.writeJson(JSON, folder.resolve("results.json"), results);
        return file;
    }

    static List<String> row(Object... cells) {
        List<String> out = new ArrayList<>();
        for (Object c : cells) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }
}
