package dev.scalpel.cli;

import dev.scalpel.core.eval.MeanInterval;
import dev.scalpel.interpret.mathneuro.MathNeuroClaims;
import dev.scalpel.interpret.mathneuro.MathNeuroSweep;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** README.md of {@code reproduce mathneuro}: every number read from the sweep's cells and claims. */
final class MathNeuroReport {
    private MathNeuroReport() {
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.3f%%", 100 * v);
    }

    private static String mi(MeanInterval m, int decimals) {
        return m == null ? "" : m.format(decimals);
    }

    @SuppressWarnings("unchecked")
    static String markdown(List<MathNeuroSweep.Cell> pruningCells, List<MathNeuroClaims.Pruning> pruning,
                           List<MathNeuroClaims.Scaling> scaling, MathNeuroClaims.Scaling chosen,
                           MathNeuroClaims.Scaling test, Map<String, Object> sampleClaim, int samples, int repeats,
                           int facts, int problems, boolean tiny) {
        MathNeuroSweep.Cell none = pruningCells.stream().filter(c -> c.method().equals("none")).findFirst().orElseThrow();
        StringBuilder md = new StringBuilder("# MathNeuro on " + (tiny ? "lab-lm-tiny (smoke test)" : "lab-lm") + "\n\n");
        md.append(String.format(Locale.ROOT, "Made by `./scalpel reproduce mathneuro%s`. Target task: the lab's arithmetic"
                        + " problems with their worked solutions; general task: its prose passages and fact sentences"
                        + " (training splits). Scores from N = %d samples per task drawn with replacement, %d repeats"
                        + " (repeat r draws with seed r); each evaluation on the validation split: prose perplexity,"
                        + " recall of %d facts, and %d problems per arithmetic level (\"arithmetic\" is the mean over"
                        + " levels). Every number below is computed from results.json.%n%n", tiny ? " --tiny" : "",
                samples, repeats, facts, problems));
        md.append(String.format(Locale.ROOT, "The unmodified model: arithmetic %.3f, prose perplexity %.2f, fact recall"
                        + " %.3f.%n%n", none.metrics().get("arithmetic"), none.metrics().get("prose_perplexity"),
                none.metrics().get("fact_recall")));
        md.append("## Pruning (factor 0)\n\nClaim: removing the target-specific set collapses arithmetic (to half or less)"
                + " while prose perplexity and fact recall degrade no more than under random pruning of the same"
                + " per-matrix counts. Means with 95% intervals over repeats; degradation is the rise in perplexity"
                + " (relative) and the fall in recall (absolute).\n\n");
        md.append("| K | set's share | arithmetic: MathNeuro | arithmetic: random | perplexity rise: MathNeuro | random |"
                + " recall fall: MathNeuro | random | verdict |\n|---|---|---|---|---|---|---|---|---|\n");
        for (MathNeuroClaims.Pruning p : pruning) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", pct(p.proportion()),
                    pct(p.share().mean()), mi(p.target(), 3), mi(p.targetRandom(), 3),
                    mi(p.generalDegradation().get("prose_perplexity"), 3),
                    mi(p.generalDegradationRandom().get("prose_perplexity"), 3),
                    mi(p.generalDegradation().get("fact_recall"), 3), mi(p.generalDegradationRandom().get("fact_recall"), 3),
                    p.holds() ? "holds" : !p.collapses() ? (none.metrics().get("arithmetic") > 0 ? "no collapse"
                            : "untestable: the unmodified model scores 0") : "general worse than random"));
        }
        long holding = pruning.stream().filter(MathNeuroClaims.Pruning::holds).count();
        md.append(String.format(Locale.ROOT, "%nThe pruning claim holds at %d of %d K values.%n%n", holding, pruning.size()));
        md.append("Other baselines at each K (arithmetic, mean over repeats):\n\n| K | Wanda-style (target top-K) | LAPE |\n"
                + "|---|---|---|\n");
        for (MathNeuroClaims.Pruning p : pruning) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", pct(p.proportion()),
                    mean(pruningCells, "wanda", p.proportion()), mean(pruningCells, "lape", p.proportion())));
        }
        md.append("\nCharts: [arithmetic](pruning-arithmetic.svg), [prose perplexity](pruning-prose-perplexity.svg),"
                + " [fact recall](pruning-fact-recall.svg).\n\n");
        md.append("## Scaling\n\nClaim: multiplying the set by a factor slightly above 1 raises arithmetic without hurting"
                + " the rest (gain's interval above 0, no general degradation interval above 0).\n\n"
                + "| K | factor | arithmetic gain | perplexity rise | recall fall | holds |\n|---|---|---|---|---|---|\n");
        for (MathNeuroClaims.Scaling s : scaling) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", pct(s.proportion()), s.factor(),
                    mi(s.targetGain(), 3), mi(s.generalDegradation().get("prose_perplexity"), 3),
                    mi(s.generalDegradation().get("fact_recall"), 3), s.holds() ? "yes" : "no"));
        }
        md.append(String.format(Locale.ROOT, "%nChosen on validation: K %s, factor %s. On the test split (scored once):"
                        + " arithmetic gain %s, perplexity rise %s, recall fall %s: the scaling claim %s.%n%n",
                pct(chosen.proportion()), chosen.factor(), mi(test.targetGain(), 3),
                mi(test.generalDegradation().get("prose_perplexity"), 3), mi(test.generalDegradation().get("fact_recall"), 3),
                test.holds() ? "holds" : "is not reproduced"));
        md.append("## How many samples\n\nClaim: one sample already finds most of the set. The share of a reference set"
                + " (" + sampleClaim.get("reference") + ") that a set from N samples recovers, at K "
                + pct((Double) sampleClaim.get("proportion")) + ":\n\n| N | recovered share |\n|---|---|\n");
        ((Map<String, MeanInterval>) sampleClaim.get("recovered_share_of_the_reference_set")).forEach((n, m) ->
                md.append("| ").append(n).append(" | ").append(m.format(3)).append(" |\n"));
        md.append("""

                ## What differs from the paper

                - The model is lab-lm (Llama-style, 6 layers) and the tasks are the lab's arithmetic problems against its
                  prose and facts, not GSM8K against RACE and MMLU on 1-8B models.
                - The evaluations are the lab's own metrics on its validation split at the sizes above, not 8-shot
                  chain-of-thought GSM8K; the scaling setting is chosen on validation and only it is scored on test.
                - Scores accumulate in double precision (the reference uses bf16); LAPE counts activation probabilities
                  over tokens, per task, from every drawn sample (see the Lape class for the reference's differences).
                """);
        return md.toString();
    }

    private static String mean(List<MathNeuroSweep.Cell> cells, String method, double k) {
        double[] v = cells.stream().filter(c -> c.method().equals(method) && c.proportion() == k && c.factor() == 0)
                .mapToDouble(c -> c.metrics().get("arithmetic")).toArray();
        return v.length == 0 ? "" : MeanInterval.of(v).format(3);
    }
}
