package dev.scalpel.edit.pretraining;

import dev.scalpel.core.eval.MeanInterval;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.encore.SeedVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The norm-growth paper's first finding, read on continued pre-training: the Frobenius norm of the updated matrices
 * grows. Each setting (a weight decay) has one run per seed; a seed's margin is the mean over every linear module of
 * ||W_T|| / ||W_0|| - 1, and the verdict says whether it is positive beyond the seed-to-seed noise. Beside it: the
 * growth by role, the course of the norms over the run, the activation drift and what the training did downstream.
 */
public final class NormGrowthClaims {
    private NormGrowthClaims() {
    }

    /** claims.md: one section per setting, each over its seeds' runs (at least one). */
    public static String markdown(String model, Map<String, List<ContinuedPretraining.Results>> settings) {
        StringBuilder s = new StringBuilder("# Norm growth under continued pre-training\n\n");
        var first = settings.values().iterator().next().getFirst();
        var c = first.config();
        s.append(String.format(Locale.ROOT, "%s trained on %s for %,d steps of %d x %d tokens (%,d tokens), peak learning "
                        + "rate %s with %d warm-up steps and cosine decay, every weight updated; measured at %d checkpoints."
                        + " Every figure is the mean over seeds with its 95%% Student-t interval in brackets where there "
                        + "are several.%n", model, first.data(), c.steps(), c.batchSize(), c.sequenceLength(), c.tokens(),
                java.math.BigDecimal.valueOf(c.peakLearningRate()).stripTrailingZeros().toPlainString(), c.warmupSteps(), c.measurements()));
        for (var e : settings.entrySet()) {
            s.append(section(e.getKey(), e.getValue()));
        }
        return s.toString();
    }

    private static String section(String setting, List<ContinuedPretraining.Results> runs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n## %s (%d seed%s)%n%n", setting, runs.size(),
                runs.size() == 1 ? "" : "s"));
        MeanInterval growth = across(runs, NormGrowthClaims::meanGrowth);
        MeanInterval grew = across(runs, NormGrowthClaims::shareThatGrew);
        String verdict = SeedVerdict.of(List.of(growth), "Not reproduced: the norms did not grow");
        s.append(String.format(Locale.ROOT, "Claim: the norm of the updated matrices grows. Mean over the %d linear "
                        + "modules of ||W_T|| / ||W_0|| - 1: %s; share of modules whose norm grew: %s. %s.%n%n",
                runs.getFirst().modules().size(), growth.format(4), grew.format(2), verdict));
        s.append(byRole(runs));
        s.append(course(runs));
        s.append(drift(runs));
        return s.toString();
    }

    /** Relative growth by role: how far each kind of matrix moved, and whether its norm rose. */
    private static String byRole(List<ContinuedPretraining.Results> runs) {
        StringBuilder s = new StringBuilder("| role | modules | ||W_T|| / ||W_0|| | ||W_T - W_0|| / ||W_0|| | "
                + "top singular share, start -> end |\n|---|---|---|---|---|\n");
        for (LinearModule.Role role : LinearModule.Role.values()) {
            List<String> names = runs.getFirst().modules().stream().filter(m -> m.role() == role)
                    .map(LinearModule::name).toList();
            if (names.isEmpty()) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s -> %s |%n", role.name().toLowerCase(Locale.ROOT),
                    names.size(),
                    across(runs, r -> meanOver(names, n -> ratio(r, n))).format(4),
                    across(runs, r -> meanOver(names, n -> r.end().matrices().get(n).deltaNorm() / startNorm(r, n)))
                            .format(4),
                    startingValue(runs, r -> meanOver(names, n -> r.start().matrices().get(n).topSingularShare()), 3),
                    across(runs, r -> meanOver(names, n -> r.end().matrices().get(n).topSingularShare())).format(3)));
        }
        return s.append('\n').toString();
    }

    /** The course over the run: the mean norm ratio, the validation loss and the downstream probes at each checkpoint. */
    private static String course(List<ContinuedPretraining.Results> runs) {
        List<String> probes = new ArrayList<>(runs.getFirst().start().downstream().keySet());
        StringBuilder s = new StringBuilder("| step | tokens | mean ||W|| / ||W_0|| | validation loss |");
        probes.forEach(p -> s.append(' ').append(p.replace('_', ' ')).append(" |"));
        s.append("\n|---|---|---|---|").append("---|".repeat(probes.size())).append('\n');
        int points = runs.getFirst().measurements().size();
        for (int i = 0; i < points; i++) {
            int at = i;
            var m = runs.getFirst().measurements().get(i);
            s.append(String.format(Locale.ROOT, "| %d | %,d | %s | %s |", m.step(), m.tokens(),
                    across(runs, r -> meanOver(names(r), n -> norm(r, at, n) / startNorm(r, n))).format(4),
                    across(runs, r -> r.measurements().get(at).validationLoss()).format(3)));
            for (String p : probes) {
                s.append(' ').append(across(runs, r -> r.measurements().get(at).downstream().getOrDefault(p, Double.NaN))
                        .format(3)).append(" |");
            }
            s.append('\n');
        }
        return s.append('\n').toString();
    }

    /** Activation drift per layer: the MLP's share of the residual norm and the largest principal angle at the end. */
    private static String drift(List<ContinuedPretraining.Results> runs) {
        StringBuilder s = new StringBuilder("| layer | MLP share of the residual norm, start -> end | residual norm, "
                + "start -> end | largest principal angle at the end (degrees) |\n|---|---|---|---|\n");
        int layers = runs.getFirst().start().activity().size();
        for (int l = 0; l < layers; l++) {
            int layer = l;
            s.append(String.format(Locale.ROOT, "| %d | %s -> %s | %s -> %s | %s |%n", layer,
                    startingValue(runs, r -> activity(r.start(), layer).mlpShare(), 3),
                    across(runs, r -> activity(r.end(), layer).mlpShare()).format(3),
                    startingValue(runs, r -> activity(r.start(), layer).residualNorm(), 2),
                    across(runs, r -> activity(r.end(), layer).residualNorm()).format(2),
                    across(runs, r -> activity(r.end(), layer).largestPrincipalAngleDegrees()).format(1)));
        }
        return s.toString();
    }

    /** A seed's margin for the claim: the mean relative norm growth over every module, start to end. */
    static double meanGrowth(ContinuedPretraining.Results r) {
        return meanOver(names(r), n -> ratio(r, n) - 1);
    }

    static double shareThatGrew(ContinuedPretraining.Results r) {
        return meanOver(names(r), n -> ratio(r, n) > 1 ? 1 : 0);
    }

    private static double ratio(ContinuedPretraining.Results r, String module) {
        return r.end().matrices().get(module).norm() / startNorm(r, module);
    }

    private static double startNorm(ContinuedPretraining.Results r, String module) {
        return r.start().matrices().get(module).norm();
    }

    private static double norm(ContinuedPretraining.Results r, int measurement, String module) {
        return r.measurements().get(measurement).matrices().get(module).norm();
    }

    private static List<String> names(ContinuedPretraining.Results r) {
        return r.modules().stream().map(LinearModule::name).toList();
    }

    private static ActivationProbe.LayerActivity activity(ContinuedPretraining.Measurement m, int layer) {
        return m.activity().get(layer);
    }

    private static double meanOver(List<String> names, ToDoubleFunction<String> f) {
        return names.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** A value of the starting model, the same in every seed's run: no interval to give. */
    private static String startingValue(List<ContinuedPretraining.Results> runs,
                                        ToDoubleFunction<ContinuedPretraining.Results> f, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", f.applyAsDouble(runs.getFirst()));
    }

    private static MeanInterval across(List<ContinuedPretraining.Results> runs,
                                       ToDoubleFunction<ContinuedPretraining.Results> f) {
        return MeanInterval.of(runs.stream().mapToDouble(f).toArray());
    }
}
