package dev.scalpel.edit.run;

import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.Series;
import dev.scalpel.core.report.Table;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The report of one or more sequential runs (one per method, same facts): the scores after the last batch, edit
 * quality as edits accumulate, norm growth and spectrum of the edited matrices, downstream quality and activation
 * drift. {@link #results} is what results.json holds: each run under its method's name.
 */
public final class EditingReport {
    private EditingReport() {
    }

    public static Map<String, Object> results(List<SequentialEditRun.Results> runs) {
        Map<String, Object> results = new LinkedHashMap<>();
        runs.forEach(r -> results.put(r.method(), r));
        return results;
    }

    public static Report of(List<SequentialEditRun.Results> runs) {
        ReportBuilder report = Report.builder("Sequential knowledge editing");
        report.section("After the last batch");
        report.add(finalScores(runs));
        report.section("Edit quality as edits accumulate");
        for (String metric : List.of("ES", "PS", "NS", "S")) {
            ToDoubleFunction<EditMetrics> value = switch (metric) {
                case "ES" -> EditMetrics::efficacy;
                case "PS" -> EditMetrics::paraphrase;
                case "NS" -> EditMetrics::neighborhood;
                default -> EditMetrics::score;
            };
            List<Series> series = new ArrayList<>();
            for (var r : runs) {
                var evals = r.evaluations().stream().filter(e -> e.allEdits() != null).toList();
                series.add(Series.of(r.method(), evals.stream().mapToDouble(SequentialRecords.Evaluation::editsSoFar)
                        .toArray(), evals.stream().mapToDouble(e -> value.applyAsDouble(e.allEdits())).toArray()));
            }
            report.add(LineChart.linear(metric + " over all edits so far", "edits", metric + " (%)", series));
        }
        report.section("Norm growth of the edited matrices");
        List<Series> norms = new ArrayList<>();
        for (var r : runs) {
            for (int layer : r.config().hyperparameters().layers()) {
                norms.add(Series.of(r.method() + " layer " + layer, batchX(r),
                        r.batches().stream().mapToDouble(b -> b.matrices().get(layer).norm()).toArray()));
            }
        }
        report.add(LineChart.linear("||W||_F of each edited matrix", "edits", "Frobenius norm", norms));
        List<Series> energy = new ArrayList<>();
        for (var r : runs) {
            int layer = lastLayer(r);
            energy.add(Series.of(r.method(), batchX(r),
                    r.batches().stream().mapToDouble(b -> b.matrices().get(layer).topSingularShare()).toArray()));
        }
        report.add(LineChart.linear("top singular value's share of the energy (last edited layer)", "edits", "share",
                energy));
        report.section("Downstream quality and activations");
        List<Series> ppl = new ArrayList<>();
        for (var r : runs) {
            ppl.add(Series.of(r.method(), evaluationX(r), r.evaluations().stream()
                    .mapToDouble(e -> e.downstream().getOrDefault("perplexity", Double.NaN)).toArray()));
        }
        report.add(LineChart.linear("held-out perplexity", "edits", "perplexity", ppl));
        List<Series> drift = new ArrayList<>();
        for (var r : runs) {
            int layer = lastLayer(r);
            drift.add(Series.of(r.method(), evaluationX(r), r.evaluations().stream()
                    .mapToDouble(e -> e.activations().isEmpty() ? Double.NaN
                            : e.activations().get(layer).meanPrincipalCosine()).toArray()));
        }
        report.add(LineChart.linear("mean cosine of principal angles to the unedited model's top-8 subspace (last "
                + "edited layer)", "edits", "mean cosine", drift));
        List<String> variants = EditingVariants.of(runs);
        if (!variants.isEmpty()) {
            report.section("Variants: where these methods differ from their papers");
            variants.forEach(report::paragraph);
        }
        return report.build();
    }

    /** One column per downstream measure (perplexity, arithmetic accuracy), so no cell holds a map. */
    private static Table finalScores(List<SequentialEditRun.Results> runs) {
        Set<String> downstream = new LinkedHashSet<>();
        runs.forEach(r -> downstream.addAll(r.evaluations().getLast().downstream().keySet()));
        List<String> header = new ArrayList<>(List.of("method", "edits", "ES", "PS", "NS", "S", "GE",
                "generation efficacy", "neighbor stability"));
        downstream.forEach(header::add);
        header.add("seconds per edit");
        List<List<Cell>> rows = new ArrayList<>();
        for (var r : runs) {
            var last = r.evaluations().getLast();
            List<Cell> row = scoreRow(r.method(), last.editsSoFar(), last.allEdits(), last.downstream(), downstream);
            row.add(Cell.decimal(secondsPerEdit(r), 3));
            rows.add(row);
        }
        // The unedited model on the same facts with the same probes: what every score above is read against.
        runs.stream().filter(r -> r.unedited() != null && r.evaluations().getFirst().editsSoFar() == 0).findFirst()
                .ifPresent(r -> {
                    List<Cell> row = scoreRow("unedited model", 0, r.unedited(), r.evaluations().getFirst().downstream(),
                            downstream);
                    row.add(Cell.text(""));
                    rows.add(row);
                });
        return new Table("scores over all edits after the last batch (ES, PS, NS and S in %; generation efficacy: greedy "
                + "continuations of rewrite and paraphrase prompts that begin with the new target, neighbor stability: "
                + "neighborhood continuations unchanged from the unedited model's, both in % over the GE edits)",
                header, rows);
    }

    /** A row's name, edit count, CounterFact scores and one cell per downstream measure. */
    private static List<Cell> scoreRow(String name, int edits, EditMetrics m, Map<String, Double> measured,
                                       Set<String> downstream) {
        List<Cell> row = new ArrayList<>(List.of(Cell.text(name), Cell.count(edits), Cell.decimal(m.efficacy(), 1),
                Cell.decimal(m.paraphrase(), 1), Cell.decimal(m.neighborhood(), 1), Cell.decimal(m.score(), 1),
                Cell.decimal(m.generationEntropy(), 1), Cell.decimal(m.generationEfficacy(), 1),
                Cell.decimal(m.neighborStability(), 1)));
        for (String d : downstream) {
            double v = measured.getOrDefault(d, Double.NaN);
            row.add(d.equals("perplexity") ? Cell.decimal(v, 1) : Cell.decimal(v, 3));
        }
        return row;
    }

    /** Mean wall time per edit over the run's batches. */
    public static double secondsPerEdit(SequentialEditRun.Results r) {
        return r.batches().stream().mapToDouble(SequentialRecords.Batch::secondsPerEdit).average().orElse(0);
    }

    /** The last edited layer, where norm growth and drift are read. */
    public static int lastLayer(SequentialEditRun.Results r) {
        return r.config().hyperparameters().layers().getLast();
    }

    private static double[] batchX(SequentialEditRun.Results r) {
        return r.batches().stream().mapToDouble(SequentialRecords.Batch::editsSoFar).toArray();
    }

    private static double[] evaluationX(SequentialEditRun.Results r) {
        return r.evaluations().stream().mapToDouble(SequentialRecords.Evaluation::editsSoFar).toArray();
    }
}
