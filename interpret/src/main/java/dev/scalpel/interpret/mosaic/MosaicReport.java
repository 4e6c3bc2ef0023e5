package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.interpret.probe.ProbeReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MOSAIC reproduction's report (the claims, the SAEs, binarized summation against the baselines, pooling and
 * binarization averaged over the grid, every probe) and its results.json, whose format committed reproductions rely
 * on.
 */
public final class MosaicReport {
    private MosaicReport() {
    }

    /**
     * What results.json holds.
     *
     * @param modelFingerprint which weights: a lab model's name alone does not say which build of it was probed
     */
    public static Map<String, Object> results(MosaicResults r, String modelFingerprint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", r.model());
        json.put("model_fingerprint", modelFingerprint);
        json.put("config", r.config());
        json.put("data", r.data());
        json.put("saes", r.saes());
        json.put("cells", r.cells());
        json.put("seconds_this_process", r.seconds());
        // What the results cost, however many resumed processes made them: SAE training plus every probe.
        json.put("seconds_training_and_probes", r.saes().stream().mapToDouble(MosaicResults.SaeSummary::trainSeconds).sum()
                + r.cells().stream().mapToDouble(MosaicResults.Cell::seconds).sum());
        return json;
    }

    public static Report of(MosaicResults r) {
        ReportBuilder report = Report.builder("MOSAIC: SAE features for spam classification (" + r.model() + ")");
        report.paragraph(String.format(Locale.ROOT, "SpamAssassin public corpus, %s emails (%s train / %s test, "
                        + "stratified, seed %d; C chosen by stratified %s-fold CV on the training split over 1e-4..10). "
                        + "Model %s, hooks %s at layers %s; SAEs trained here on the training split's tokens (%d steps "
                        + "of %d rows).", r.data().get("examples"), r.data().get("train"), r.data().get("test"),
                r.config().seed(), r.data().get("folds"), r.model(), r.config().hookPattern(), r.config().layers(),
                r.config().steps(), r.config().batchSize()));
        report.section("Claims");
        report.preformatted(MosaicClaims.markdown(r));

        report.section("The SAEs");
        List<List<Cell>> saeRows = new ArrayList<>();
        for (var s : r.saes()) {
            saeRows.add(List.of(Cell.count(s.layer()), Cell.text(s.architecture()), Cell.count(s.width()),
                    Cell.decimal(s.l0(), 1), Cell.decimal(s.fvu(), 3), Cell.percent(s.deadFraction(), 1),
                    Cell.text(s.spliceMeasure().toLowerCase(Locale.ROOT)), Cell.decimal(s.clean(), 3),
                    Cell.decimal(s.spliced(), 3), Cell.decimal(s.zeroAblated(), 3), Cell.percent(s.recovered(), 1),
                    Cell.decimal(s.trainSeconds(), 1)));
        }
        report.table("each SAE: sparsity, reconstruction and the model with it spliced in", List.of("layer", "SAE",
                "width", "L0", "FVU", "dead", "splice measure", "clean", "spliced", "zeros", "recovered", "train s"),
                saeRows);

        report.section("Binarized summation against the baselines");
        report.add(headline(r, "test macro-F1, binarized summed SAE features and the baselines"));

        report.section("Pooling and binarization, averaged over layers, SAEs and widths");
        Map<String, double[]> byPooling = new LinkedHashMap<>();
        for (var c : r.cells()) {
            if ("sae".equals(c.probe())) {
                String key = c.pooling() + (c.binarize() == null ? "" : ", binarized " + c.binarize());
                double[] acc = byPooling.computeIfAbsent(key, k -> new double[2]);
                acc[0] += c.testMacroF1();
                acc[1]++;
            }
        }
        report.add(BarChart.of("mean test macro-F1 by pooling", new ArrayList<>(byPooling.keySet()),
                byPooling.values().stream().map(a -> a[0] / a[1]).toList()));

        report.section("Every probe");
        List<List<Cell>> rows = new ArrayList<>();
        for (var c : byTestScore(r)) {
            rows.add(List.of(Cell.text(c.probe()), Cell.text(MosaicClaims.describe(c)), Cell.decimal(c.testMacroF1(), 3),
                    Cell.decimal(c.testAccuracy(), 3), Cell.meanStd(c.cvMean(), c.cvStd(), 3),
                    Cell.decimal(c.hardHamAccuracy(), 3), Cell.text(ProbeReport.formatC(c.chosenC())),
                    Cell.decimal(c.meanNonZeros(), 1), Cell.decimal(c.seconds(), 1)));
        }
        report.table("every probe of the grid, best test macro-F1 first", List.of("probe", "configuration",
                "test macro-F1", "test accuracy", "CV macro-F1", "hard-ham acc", "C", "mean non-zeros", "s"), rows);
        return report.build();
    }

    /** The headline figure (chart.svg beside the report): binarized summed SAE features and every baseline. */
    public static BarChart headlineChart(MosaicResults r) {
        return headline(r, "test macro-F1: binarized summed SAE features and baselines (" + r.model() + ")");
    }

    private static BarChart headline(MosaicResults r, String title) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (var c : byTestScore(r)) {
            if (MosaicClaims.binarizedSum(c) || !"sae".equals(c.probe())) {
                labels.add(c.probe() + ": " + MosaicClaims.describe(c));
                values.add(c.testMacroF1());
            }
        }
        return BarChart.of(title, labels, values);
    }

    private static List<MosaicResults.Cell> byTestScore(MosaicResults r) {
        List<MosaicResults.Cell> sorted = new ArrayList<>(r.cells());
        sorted.sort(Comparator.comparingDouble(MosaicResults.Cell::testMacroF1).reversed());
        return sorted;
    }
}
