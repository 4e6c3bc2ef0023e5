package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The transfer run's report (claims, every block's table, the headline chart) and its results.json. */
public final class TransferReport {
    private TransferReport() {
    }

    /** What results.json holds. */
    public static Map<String, Object> results(TransferResults r, String sourceFingerprint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", r.source());
        json.put("source_fingerprint", sourceFingerprint);
        json.put("config", r.config());
        json.put("data", r.data());
        json.put("sae", r.sae());
        json.put("majority_macro_f1", r.majorityMacroF1());
        json.put("blocks", r.blocks());
        json.put("seconds_this_process", r.seconds());
        return json;
    }

    public static Report of(TransferResults r) {
        ReportBuilder report = Report.builder("MOSAIC transfer: probes on " + r.source() + "'s SAE features, read on "
                + "other models");
        report.section("Claims");
        report.preformatted(TransferClaims.markdown(r));
        report.section("Transferred and own probes");
        report.add(chart(r));
        report.section("Every probe");
        List<List<Cell>> rows = new ArrayList<>();
        for (TransferResults.Block b : r.blocks()) {
            for (TransferResults.Row row : b.rows()) {
                rows.add(List.of(Cell.text(b.target()), Cell.text(b.reading()), Cell.percent(b.mapTestFvu(), 1),
                        Cell.text(row.kind()), Cell.decimal(row.sourceMacroF1(), 3), Cell.decimal(row.nativeMacroF1(), 3),
                        Cell.decimal(row.transferMacroF1(), 3), Cell.text(row.transferMinusNative().formatPoints()),
                        Cell.text(row.transferMinusSource().formatPoints())));
            }
        }
        report.table("test macro-F1; differences in points with 95% paired bootstrap intervals", List.of("target",
                "reading", "map FVU", "features", "source", "own", "transferred", "transferred - own",
                "transferred - source"), rows);
        return report.build();
    }

    /** The headline figure: for each target and reading, the claimed SAE probe's transferred and own scores. */
    public static BarChart chart(TransferResults r) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (TransferResults.Block b : r.blocks()) {
            TransferResults.Row claimed = TransferClaims.claimed(b);
            labels.add(b.target() + ", " + b.reading() + ": transferred");
            values.add(claimed.transferMacroF1());
            labels.add(b.target() + ", " + b.reading() + ": own");
            values.add(claimed.nativeMacroF1());
        }
        return BarChart.of("test macro-F1 of the binarized summed SAE probe (" + r.source() + "'s probe transferred, "
                + "and the target's own)", labels, values);
    }
}
