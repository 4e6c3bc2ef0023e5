package dev.scalpel.interpret.sae.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@code scalpel sae train} found: {@link #results} (training.json and results.json: configuration, the metric
 * history, the final evaluation and the splice result) and {@link #report} (the final numbers as tables, the
 * training curves as charts).
 *
 * @param rows activation rows harvested for training
 * @param splice the model with the reconstruction spliced in, or null when it was not measured
 */
public record SaeTrainingReport(String model, String hook, long rows, SaeTrainingConfig config,
                                SaeTrainingResult result, SpliceResult splice) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Map<String, Object> results() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("hook", hook);
        root.put("rows", rows);
        root.put("config", config);
        root.put("history", result.history());
        root.put("evaluation", result.evaluation());
        root.put("activation_scale", result.activationScale());
        root.put("seconds", result.seconds());
        if (splice != null) {
            Map<String, Object> s = JSON.convertValue(splice, new TypeReference<LinkedHashMap<String, Object>>() { });
            s.put("change", splice.change());
            s.put("recovered", splice.recovered());
            root.put("splice", s);
        }
        return root;
    }

    public Report report() {
        ReportBuilder report = Report.builder("SAE training: " + model + " at " + hook);
        SaeEvaluation e = result.evaluation();
        report.paragraph(String.format(Locale.ROOT, "%s, %d latents, trained %d steps on %,d harvested rows in %.1f s "
                        + "(activations scaled by %.4g).", config.architecture(), config.dSae(), result.steps(), rows,
                result.seconds(), result.activationScale()));
        report.section("The trained SAE");
        report.table("on " + e.rows() + " sampled rows", List.of("L0", "FVU", "dead latents"), List.of(List.of(
                Cell.decimal(e.l0(), 2), Cell.decimal(e.fvu(), 4), Cell.percent(e.deadFraction(), 1))));
        if (splice != null) {
            report.table("the model with the reconstruction spliced in at " + hook + " ("
                            + splice.measure().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", " + splice.count()
                            + (splice.measure() == SpliceResult.Measure.NEXT_TOKEN_LOSS ? " tokens)" : " texts)"),
                    List.of("clean", "spliced", "zeros", "change", "recovered"), List.of(List.of(
                            Cell.decimal(splice.clean(), 4), Cell.decimal(splice.spliced(), 4),
                            Cell.decimal(splice.zeroAblated(), 4), Cell.decimal(splice.change(), 4),
                            Cell.percent(splice.recovered(), 1))));
        }
        report.section("Training curves");
        report.add(new LineChart("loss", "step", "loss", List.of(curve("loss", SaeMetrics::loss)), true));
        report.add(LineChart.linear("L0 (active latents per row)", "step", "L0", List.of(curve("L0", SaeMetrics::l0))));
        report.add(LineChart.linear("fraction of variance unexplained", "step", "FVU",
                List.of(curve("FVU", SaeMetrics::fvu))));
        report.add(LineChart.linear("dead latents", "step", "fraction dead",
                List.of(curve("dead", SaeMetrics::deadFraction))));
        return report.build();
    }

    private Series curve(String name, ToDoubleFunction<SaeMetrics> value) {
        return Series.of(name, result.history().stream().mapToDouble(SaeMetrics::step).toArray(),
                result.history().stream().mapToDouble(value).toArray());
    }
}
