package dev.scalpel.cli;

import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --report DIR}, read the same way by every command that produces results: the report
 * folder holds report.html, report.json and results.json; {@code --json} ends the output with one line holding what
 * results.json holds, for scripts.
 */
final class ResultOptions {
    @Option(names = "--json", description = "end with one line holding the results as JSON (what results.json holds)")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR", description = "write report.html (self-contained), report.json "
            + "(the same report, machine-readable) and results.json into DIR")
    Path report;

    /** The folder the report goes to: --report, else the command's own default (null: none). */
    Path folder(Path fallback) {
        return report != null ? report : fallback;
    }

    /**
     * Writes the report folder if there is one (--report, else {@code fallback} unless null), then the JSON line if
     * asked, always last; returns report.html or null.
     */
    Path emit(PrintWriter out, Report built, Object results, Path fallback) {
        Path folder = folder(fallback);
        Path html = null;
        if (folder != null) {
            html = ReportFolder.write(folder, built, results);
            out.println("report: " + html);
        }
        if (json) {
            out.println(Json.line(results));
        }
        out.flush();
        return html;
    }
}
