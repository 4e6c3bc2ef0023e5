package dev.scalpel.edit.run;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hparams.HyperparameterOverride;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A method's hyperparameters chosen on validation facts, never on the facts reported: every candidate of a grid (the
 * product of the values given per key) runs the same sequential edits of validation facts, and the highest edit score S
 * after the last batch wins (S weighs the edit against the neighbors it disturbs), the first candidate given on a tie, so
 * the order of the values states which the user prefers. The chosen hyperparameters then edit the test facts.
 */
public final class ValidationTuning {
    private ValidationTuning() {
    }

    /** One key's candidate values, as {@code --tune METHOD:KEY=V1|V2|...} writes them. */
    public record Axis(String method, String key, List<String> values) {
        public Axis {
            values = List.copyOf(values);
        }

        public static Axis parse(String argument) {
            int colon = argument.indexOf(':');
            int eq = argument.indexOf('=');
            if (colon <= 0 || eq < colon + 2 || eq == argument.length() - 1) {
                throw new ScalpelException("--tune " + argument + ": expected METHOD:KEY=V1|V2|..., e.g."
                        + " ft:normConstraint=5e-4|2e-3|8e-3");
            }
            List<String> values = List.of(argument.substring(eq + 1).split("\\|", -1));
            if (values.stream().anyMatch(String::isBlank) || values.stream().distinct().count() != values.size()) {
                throw new ScalpelException("--tune " + argument + ": the candidate values must be distinct and"
                        + " non-empty");
            }
            return new Axis(argument.substring(0, colon).strip(), argument.substring(colon + 1, eq).strip(),
                    values.stream().map(String::strip).toList());
        }
    }

    /** The axes per method, in the order given. */
    public static Map<String, List<Axis>> byMethod(List<Axis> axes) {
        Map<String, List<Axis>> byMethod = new LinkedHashMap<>();
        for (Axis axis : axes) {
            List<Axis> those = byMethod.computeIfAbsent(axis.method(), k -> new ArrayList<>());
            if (those.stream().anyMatch(a -> a.key().equals(axis.key()))) {
                throw new ScalpelException("--tune names " + axis.method() + ":" + axis.key() + " twice");
            }
            those.add(axis);
        }
        return byMethod;
    }

    /** Every combination of the axes' values (the first axis varies slowest), each as the overrides it makes. */
    public static List<List<HyperparameterOverride>> grid(List<Axis> axes) {
        List<List<HyperparameterOverride>> grid = new ArrayList<>();
        grid.add(List.of());
        for (Axis axis : axes) {
            List<List<HyperparameterOverride>> next = new ArrayList<>();
            for (List<HyperparameterOverride> partial : grid) {
                for (String value : axis.values()) {
                    List<HyperparameterOverride> extended = new ArrayList<>(partial);
                    extended.add(HyperparameterOverride.parse(axis.key() + "=" + value));
                    next.add(List.copyOf(extended));
                }
            }
            grid = next;
        }
        return grid;
    }

    /** How a candidate is named in the report and its run folder: its overrides as written. */
    public static String label(List<HyperparameterOverride> overrides) {
        return overrides.stream().map(HyperparameterOverride::written).collect(Collectors.joining(", "));
    }

    /** One candidate and its validation run. */
    public record Candidate(String label, EditHyperparameters hyperparameters, SequentialEditRun.Results run) {
        EditMetrics metrics() {
            return run.evaluations().getLast().allEdits();
        }
    }

    /** The candidates in the order given and the one chosen. */
    public record Choice(String method, List<Candidate> candidates, Candidate chosen) {
        public Choice {
            candidates = List.copyOf(candidates);
        }

        /** The claims.md section: every candidate's validation scores and the choice. */
        public String markdown() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "## %s's hyperparameters, chosen on validation"
                    + " facts%n%n", method));
            s.append(String.format(Locale.ROOT, "%s ran %d sequential edits of validation facts (none of them in any "
                    + "reported run) per candidate; the highest S wins, the first candidate on a tie.%n%n", method,
                    chosen.run().evaluations().getLast().editsSoFar()));
            s.append("| candidate | S | ES | PS | NS | generation efficacy | neighbor stability | perplexity | arithmetic (level 1) "
                    + "| ||W - W0|| |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (Candidate c : candidates) {
                EditMetrics m = c.metrics();
                Map<String, Double> downstream = c.run().evaluations().getLast().downstream();
                var matrices = c.run().batches().getLast().matrices();
                double deltaNorm = matrices.isEmpty() ? Double.NaN
                        : matrices.get(EditingReport.lastLayer(c.run())).deltaNorm();
                s.append(String.format(Locale.ROOT, "| %s%s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.3f |%n",
                        c == chosen ? "**chosen** " : "", c.label(), m.score(), m.efficacy(), m.paraphrase(),
                        m.neighborhood(), m.generationEfficacy(), m.neighborStability(),
                        downstream.getOrDefault("perplexity", Double.NaN),
                        downstream.getOrDefault("arithmetic_level_1", Double.NaN), deltaNorm));
            }
            return s.append('\n').toString();
        }
    }

    /** The highest S; on a tie the first candidate given. */
    public static Choice choose(String method, List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (best == null || c.metrics().score() > best.metrics().score()) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidates to choose " + method + "'s hyperparameters from");
        }
        return new Choice(method, candidates, best);
    }
}
