package dev.scalpel.edit.pretraining;

import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The charts of a continued pre-training run, one seed per setting (the first): norms by role, losses, probes. */
public final class NormGrowthReport {
    private NormGrowthReport() {
    }

    public static Report of(Map<String, List<ContinuedPretraining.Results>> settings) {
        ReportBuilder report = Report.builder("Norm growth under continued pre-training");
        report.paragraph("Each chart follows the first seed of each setting; claims.md holds every seed with intervals.");
        report.section("Norms of the updated matrices");
        for (var e : settings.entrySet()) {
            var r = e.getValue().getFirst();
            List<Series> roles = new ArrayList<>();
            for (LinearModule.Role role : LinearModule.Role.values()) {
                List<String> names = r.modules().stream().filter(m -> m.role() == role).map(LinearModule::name).toList();
                if (!names.isEmpty()) {
                    roles.add(series(role.name().toLowerCase(Locale.ROOT), r, m -> names.stream()
                            .mapToDouble(n -> m.matrices().get(n).norm() / r.start().matrices().get(n).norm())
                            .average().orElse(Double.NaN)));
                }
            }
            report.add(LineChart.linear("mean ||W|| / ||W_0|| by role, " + e.getKey(), "training tokens", "norm ratio",
                    roles));
        }
        report.section("Loss and downstream probes");
        report.add(chart("validation loss", settings, ContinuedPretraining.Measurement::validationLoss));
        var probes = settings.values().iterator().next().getFirst().start().downstream().keySet();
        for (String probe : probes) {
            report.add(chart(probe.replace('_', ' '), settings, m -> m.downstream().getOrDefault(probe, Double.NaN)));
        }
        return report.build();
    }

    private static LineChart chart(String title, Map<String, List<ContinuedPretraining.Results>> settings,
                                   ToDoubleFunction<ContinuedPretraining.Measurement> value) {
        List<Series> series = new ArrayList<>();
        settings.forEach((name, runs) -> series.add(series(name, runs.getFirst(), value)));
        return LineChart.linear(title, "training tokens", title, series);
    }

    private static Series series(String name, ContinuedPretraining.Results r,
                                 ToDoubleFunction<ContinuedPretraining.Measurement> value) {
        return Series.of(name, r.measurements().stream().mapToDouble(ContinuedPretraining.Measurement::tokens).toArray(),
                r.measurements().stream().mapToDouble(value).toArray());
    }
}
