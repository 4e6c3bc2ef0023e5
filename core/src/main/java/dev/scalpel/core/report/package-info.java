/**
 * The report model every command's report is built from: a {@link dev.scalpel.core.report.Report} of
 * {@link dev.scalpel.core.report.Section}s holding paragraphs, labeled {@link dev.scalpel.core.report.Table}s of typed
 * {@link dev.scalpel.core.report.Cell}s (numbers formatted one way everywhere) and
 * {@link dev.scalpel.core.report.Chart}s that keep their data. Renderers: {@link dev.scalpel.core.report.HtmlRenderer}
 * (one self-contained page), {@link dev.scalpel.core.report.SvgChart} (the charts) and
 * {@link dev.scalpel.core.report.ReportJson} (the same content, machine-readable);
 * {@link dev.scalpel.core.report.ReportFolder} writes them with the command's results.json. Each method builds its
 * own report in its module; the CLI only chooses where it goes.
 */
package dev.scalpel.core.report;
