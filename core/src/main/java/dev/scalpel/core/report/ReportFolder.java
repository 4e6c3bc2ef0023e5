package dev.scalpel.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scalpel.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command's outcome lands: {@code report.html} (people), {@code report.json} (the same report for scripts)
 * and {@code results.json} (the command's own results, in the format each command has always written). Every file
 * is written atomically, so a killed command leaves the previous report whole.
 */
public final class ReportFolder {
    public static final String HTML = "report.html";
    public static final String REPORT_JSON = "report.json";
    public static final String RESULTS_JSON = "results.json";
    private static final ObjectMapper RESULTS = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFolder() {
    }

    /** Writes the three files into {@code folder} (created if missing); returns report.html. */
    public static Path write(Path folder, Report report, Object results) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot create the report folder", e);
        }
        Path html = folder.resolve(HTML);
        AtomicFiles.writeString(html, HtmlRenderer.render(report));
        AtomicFiles.writeString(folder.resolve(REPORT_JSON), ReportJson.write(report));
        AtomicFiles.writeJson(RESULTS, folder.resolve(RESULTS_JSON), results);
        return html;
    }

    /** One chart as a standalone SVG file (for papers and READMEs). */
    public static void writeChart(Path file, Chart chart) {
        AtomicFiles.writeString(file, SvgChart.render(chart));
    }
}
