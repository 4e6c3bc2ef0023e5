package dev.scalpel.core.report;

import java.util.List;
import java.util.Objects;

/**
 * A report: a title and sections of paragraphs, labeled tables and charts. The same value renders to a
 * self-contained HTML page ({@link HtmlRenderer}), its charts to SVG ({@link SvgChart}) and all of it to JSON
 * ({@link ReportJson}); {@link ReportFolder} writes them beside a command's results.json.
 */
public record Report(String title, List<Section> sections) {
    public Report {
        Objects.requireNonNull(title, "title");
        sections = List.copyOf(sections);
    }

    /** A builder that starts with an untitled opening section (for text before the first heading). */
    public static ReportBuilder builder(String title) {
        return new ReportBuilder(title);
    }
}
