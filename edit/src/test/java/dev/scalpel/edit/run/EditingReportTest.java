package dev.scalpel.edit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.HtmlRenderer;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.Table;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The editing report shows each run's last scores as typed columns and one line per run in every chart. */
class EditingReportTest {

    private static SequentialEditRun.Results run(EditMethod method, double score, double perplexity, double arithmetic) {
        EditHyperparameters hp = EditHyperparameterFiles.load(method, "lab-lm", List.of());
        SequentialConfig config = new SequentialConfig(hp, 10, 2, 10, 0, 0);
        var matrices = Map.of(1, new MatrixDiagnostics(11, 1, 0.1, 5, 3, 1), 2, new MatrixDiagnostics(12, 2, 0.2, 5, 3, 1));
        var first = new SequentialRecords.Batch(1, 10, 5, 0.5, 20, Map.of(1, 1.0, 2, 2.0), matrices, null);
        var second = new SequentialRecords.Batch(2, 20, 7, 0.7, 20, Map.of(1, 1.0, 2, 2.0), matrices, null);
        Map<String, Double> downstream = new LinkedHashMap<>();
        downstream.put("perplexity", perplexity);
        downstream.put("arithmetic_level_1", arithmetic);
        var metrics = new EditMetrics(90, 70.25, 80, score, 600, 10, 33.333, 87.5);
        var evaluations = List.of(new SequentialRecords.Evaluation(10, metrics, metrics, downstream, List.of()),
                new SequentialRecords.Evaluation(20, metrics, metrics, downstream, List.of()));
        Provenance provenance = Provenance.of(new RunInputs("lab-lm", "0", Map.of(), 0),
                Map.of(SequentialEditRun.INTERMEDIATE_SIZE, "704"));
        return new SequentialEditRun.Results(method.cliName(), config, provenance, List.of(first, second), evaluations,
                null);
    }

    /** The unedited model's row: its metrics on the run's facts and its downstream quality before the first edit. */
    @Test
    void theUneditedModelIsARowOfTheScores() {
        var edited = run(EditMethod.MEMIT, 60, 140, 0.5);
        var before = new SequentialRecords.Evaluation(0, null, null, Map.of("perplexity", 70.0, "arithmetic_level_1", 0.9),
                List.of());
        List<SequentialRecords.Evaluation> evaluations = new java.util.ArrayList<>(List.of(before));
        evaluations.addAll(edited.evaluations());
        var withBaseline = new SequentialEditRun.Results("memit", edited.config(), edited.provenance(), edited.batches(),
                evaluations, new EditMetrics(12, 10, 96, 15.4, 612, 20, 0, 100));
        Table scores = (Table) EditingReport.of(List.of(withBaseline)).sections().getFirst().blocks().getFirst();
        assertEquals(List.of("unedited model", "0", "12.0", "10.0", "96.0", "15.4", "612.0", "0.0", "100.0", "70.0",
                "0.900", ""), scores.rows().get(1).stream().map(Cell::formatted).toList());
    }

    @Test
    void theLastScoresAreTypedColumnsAndNoCellHoldsAMap() {
        Report report = EditingReport.of(List.of(run(EditMethod.MEMIT, 60, 140.04, 0.5),
                run(EditMethod.ENCORE, 64, 110, 0.75)));
        Table scores = (Table) report.sections().getFirst().blocks().getFirst();
        assertEquals(List.of("method", "edits", "ES", "PS", "NS", "S", "GE", "generation efficacy", "neighbor stability",
                "perplexity", "arithmetic_level_1", "seconds per edit"), scores.header());
        assertEquals(List.of("memit", "20", "90.0", "70.3", "80.0", "60.0", "600.0", "33.3", "87.5", "140.0", "0.500",
                "0.600"), scores.rows().get(0).stream().map(Cell::formatted).toList());
        assertEquals("0.750", scores.rows().get(1).get(10).formatted());
        assertFalse(HtmlRenderer.render(report).contains("perplexity="), "the downstream map is spread over columns");
        String variants = HtmlRenderer.render(report);
        assertTrue(variants.contains("keys enter the normal equations"), "MEMIT's variant named");
        // lambda stated scale-free: d_ff / lambda against the papers' 6,400 / 20,000 and 14,336 / 15,000.
        double lambda = ((dev.scalpel.edit.memit.MemitHyperparameters) EditHyperparameterFiles.load(EditMethod.MEMIT,
                "lab-lm", List.of())).covarianceWeight();
        String ratio = String.format(java.util.Locale.ROOT, "%.2f", 704 / lambda);
        String weaker = String.format(java.util.Locale.ROOT, "%.1f-%.1fx", 704 / lambda / (14336.0 / 15000),
                704 / lambda / (6400.0 / 20000));
        assertTrue(variants.contains("memit: preservation strength d_ff / lambda = 704 / ") && variants.contains(
                "= " + ratio + "; the papers run at 0.32 (GPT2-XL) and 0.96 (Llama-3-8B)") && variants.contains(weaker),
                variants);
    }

    @Test
    void everyChartHasALinePerRunAndNormsOnePerEditedLayer() {
        List<SequentialEditRun.Results> runs = List.of(run(EditMethod.MEMIT, 60, 140, 0.5),
                run(EditMethod.ENCORE, 64, 110, 0.75));
        List<LineChart> charts = EditingReport.of(runs).sections().stream().flatMap(s -> s.blocks().stream())
                .filter(b -> b instanceof LineChart).map(b -> (LineChart) b).toList();
        assertEquals(8, charts.size(), "ES, PS, NS, S, norms, spectrum, perplexity, drift");
        assertEquals(List.of(10.0, 20.0), charts.getFirst().series().getFirst().x());
        LineChart norms = charts.get(4);
        assertEquals(List.of("memit layer 1", "memit layer 2", "encore layer 1", "encore layer 2"),
                norms.series().stream().map(s -> s.name()).toList());
        assertEquals(List.of(12.0, 12.0), norms.series().get(1).y());
        assertTrue(charts.get(7).series().getFirst().y().stream().allMatch(y -> y.isNaN()),
                "no activation probe: drift is not drawn");
        assertEquals(List.of("memit", "encore"), List.copyOf(EditingReport.results(runs).keySet()));
    }
}
