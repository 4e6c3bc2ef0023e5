package dev.scalpel.cli;

import dev.scalpel.core.report.ReportBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A group of the tour's steps. Every step prints to the console, adds a section to the one report and puts its numbers
 * into the one results map, so the groups share those (and where the report goes, and whether the tour is quick).
 */
abstract class TourSection {
    /**
     * @param reportDir where the report (and anything a step saves beside it) goes
     * @param quick the lab's tiny profile: steps take smaller samples
     */
    record Shared(PrintWriter out, ReportBuilder report, Map<String, Object> results, Path reportDir, boolean quick) {
    }

    protected final PrintWriter out;
    protected final ReportBuilder report;
    protected final Map<String, Object> results;
    protected final Path reportDir;
    protected final boolean quick;

    TourSection(Shared shared) {
        this.out = shared.out();
        this.report = shared.report();
        this.results = shared.results();
        this.reportDir = shared.reportDir();
        this.quick = shared.quick();
    }

    /** Starts a numbered step: a heading on the console and a section in the report. */
    protected void step(String title) {
        out.printf("%n== %s%n", title);
        out.flush();
        report.section(title);
    }
}
