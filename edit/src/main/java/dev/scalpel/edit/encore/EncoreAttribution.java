package dev.scalpel.edit.encore;

import dev.scalpel.edit.LocateThenEditHyperparameters;
import dev.scalpel.edit.run.SequentialEditRun;
import dev.scalpel.edit.run.SequentialRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which of ENCORE's two parts does what: MEMIT, MEMIT with early stopping only, MEMIT with the norm term only, and
 * ENCORE (both), on the same facts ({@link EncoreAblations}), as means over seeds; and the norm term's strength lambda_n
 * against the scale it competes with, the keys' squared norms, which set every other term of the normal equations.
 */
final class EncoreAttribution {
    private EncoreAttribution() {
    }

    /** The attribution section of claims.md; empty unless MEMIT, ENCORE and at least one ablation ran. */
    static String markdown(Map<String, List<SequentialEditRun.Results>> seeds) {
        var memit = seeds.get("memit");
        var encore = seeds.get("encore");
        var mpes = seeds.get(EncoreAblations.MEMIT_MPES);
        var norm = seeds.get(EncoreAblations.MEMIT_NORM);
        if (memit == null || encore == null || (mpes == null && norm == null)) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## Attribution: ENCORE's parts one at a time\n\n");
        s.append("| run | early stopping | norm term | S | ES | PS | NS | generation efficacy | perplexity | ||W - W0|| | "
                + "value iterations per edit |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var runs : Stream.of(memit, mpes, norm, encore).filter(Objects::nonNull).toList()) {
            var first = runs.getFirst();
            double efficacy = mean(runs, r -> EncoreClaims.metrics(r).generationEfficacy());
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %s | %.1f |%n",
                    first.method(), first.config().hyperparameters() instanceof LocateThenEditHyperparameters located
                            && located.value().mpesExtra() >= 0 ? "yes" : "no",
                    first.config().hyperparameters() instanceof EncoreHyperparameters ? "yes" : "no",
                    mean(runs, r -> EncoreClaims.metrics(r).score()), mean(runs, r -> EncoreClaims.metrics(r).efficacy()),
                    mean(runs, r -> EncoreClaims.metrics(r).paraphrase()), mean(runs, r -> EncoreClaims.metrics(r).neighborhood()),
                    Double.isNaN(efficacy) ? "not measured" : String.format(Locale.ROOT, "%.1f", efficacy),
                    mean(runs, EncoreClaims::perplexity), EncoreClaims.across(runs, EncoreClaims::growth).format(2),
                    mean(runs, EncoreAttribution::valueIterations)));
        }
        s.append('\n').append(normShare(memit, mpes, norm, encore));
        s.append(keyScale(norm != null ? norm : encore));
        return s.toString();
    }

    /** How much of ENCORE's smaller ||W - W0|| (against MEMIT's) each part gives alone, from the seeds' means. */
    private static String normShare(List<SequentialEditRun.Results> memit, List<SequentialEditRun.Results> mpes,
                                    List<SequentialEditRun.Results> norm, List<SequentialEditRun.Results> encore) {
        double gMemit = mean(memit, EncoreClaims::growth);
        double gEncore = mean(encore, EncoreClaims::growth);
        double reduction = gMemit - gEncore;
        if (!(reduction > 0)) {
            return String.format(Locale.ROOT, "ENCORE's ||W - W0|| (%.2f) is not below MEMIT's (%.2f) here, so there is no "
                    + "reduction to attribute.%n", gEncore, gMemit);
        }
        List<String> parts = new ArrayList<>();
        for (var runs : Stream.of(mpes, norm).filter(Objects::nonNull).toList()) {
            double g = mean(runs, EncoreClaims::growth);
            parts.add(String.format(Locale.ROOT, "%s alone gives %.0f%% of it (||W - W0|| %.2f)",
                    runs == mpes ? "early stopping" : "the norm term", 100 * (gMemit - g) / reduction, g));
        }
        return String.format(Locale.ROOT, "ENCORE lowers ||W - W0|| of the last edited layer from MEMIT's %.2f to %.2f; "
                + "%s.%n", gMemit, gEncore, String.join("; ", parts));
    }

    /**
     * lambda_n adds lambda_n to every eigenvalue of the normal matrix lambda_p C0 + sum K K^T + K K^T, whose other terms
     * scale with the keys' squared norms: an edit key contributes ||k||^2 along its own direction, lambda_p C0 a mean
     * eigenvalue lambda_p tr(C0) / d_ff. Whether lambda_n is strong or negligible depends on those, per layer.
     */
    private static String keyScale(List<SequentialEditRun.Results> runs) {
        if (!(runs.getFirst().config().hyperparameters() instanceof EncoreHyperparameters hp)) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int layer : hp.layers()) {
            double keys = runs.stream().flatMap(r -> r.batches().stream()).map(SequentialRecords.Batch::meanSquaredKeyNorms)
                    .filter(Objects::nonNull).map(k -> k.get(layer)).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            String c0 = runs.getFirst().provenance().details().get(SequentialEditRun.C0_MEAN_EIGENVALUE + layer);
            if (Double.isNaN(keys) || c0 == null) {
                continue;
            }
            double c0Term = hp.covarianceWeight() * Double.parseDouble(c0);
            s.append(String.format(Locale.ROOT, "- layer %d: edit keys' mean ||k||^2 = %.3g, so lambda_n = %s is %.2g of one "
                            + "key's own weight along its direction; lambda_p tr(C0) / d_ff = %s x %.3g = %.3g, so lambda_n "
                            + "is %.2g of C0's mean eigenvalue.%n", layer, keys, hp.normWeight(), hp.normWeight() / keys,
                    hp.covarianceWeight(), Double.parseDouble(c0), c0Term, hp.normWeight() / c0Term));
        }
        if (s.isEmpty()) {
            return "";
        }
        return "\nThe norm term against the key scale (lambda_n I adds lambda_n to every eigenvalue of the normal matrix; "
                + "the other terms scale with ||k||^2):\n\n" + s;
    }

    private static double mean(List<SequentialEditRun.Results> runs,
                               java.util.function.ToDoubleFunction<SequentialEditRun.Results> f) {
        return EncoreClaims.across(runs, f).mean();
    }

    private static double valueIterations(SequentialEditRun.Results r) {
        return r.batches().stream().mapToDouble(SequentialRecords.Batch::meanValueIterations).average().orElse(Double.NaN);
    }
}
