package dev.scalpel.edit.run;

import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The preservation strength lambda chosen on validation facts, never on the facts reported. Candidates are given
 * scale-free as d_ff / lambda (the papers run at 0.32 and 0.96): C0 is the keys' own second moment, so only lambda
 * against d_ff matters. One sequential MEMIT run per candidate on the validation facts; the highest edit score S after
 * the last batch wins (S is the harmonic mean of efficacy, paraphrase and neighborhood scores, so it weighs the edit
 * against what it disturbs), the stronger preservation on a tie. ENCORE and its ablations take the same lambda, as the
 * ENCORE paper takes MEMIT's.
 */
public final class PreservationSweep {
    private PreservationSweep() {
    }

    /** One candidate and its validation run. */
    public record Candidate(double ratio, double lambda, SequentialEditRun.Results run) {
        EditMetrics metrics() {
            return run.evaluations().getLast().allEdits();
        }
    }

    /** The candidates in the order given and the one chosen. */
    public record Choice(List<Candidate> candidates, Candidate chosen) {
        public Choice {
            candidates = List.copyOf(candidates);
        }

        /** The claims.md section: every candidate's validation scores and the choice. */
        public String markdown() {
            StringBuilder s = new StringBuilder("## Preservation strength, chosen on validation facts\n\n");
            s.append(String.format(Locale.ROOT, "MEMIT ran %d sequential edits of validation facts (none of them in any "
                    + "reported run) per candidate d_ff / lambda; the highest S wins and every method with a lambda "
                    + "takes it.%n%n", chosen.run().evaluations().getLast().editsSoFar()));
            s.append("| d_ff / lambda | lambda | S | ES | PS | NS | perplexity | ||W - W0|| |\n|---|---|---|---|---|---|---|---|\n");
            for (Candidate c : candidates) {
                EditMetrics m = c.metrics();
                s.append(String.format(Locale.ROOT, "| %s%.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                        c == chosen ? "**chosen** " : "", c.ratio(), c.lambda(), m.score(), m.efficacy(), m.paraphrase(),
                        m.neighborhood(), c.run().evaluations().getLast().downstream().getOrDefault("perplexity",
                                Double.NaN), c.run().batches().getLast().matrices().get(EditingReport.lastLayer(c.run()))
                                .deltaNorm()));
            }
            return s.append('\n').toString();
        }
    }

    /** lambda for the scale-free ratio d_ff / lambda. */
    public static double lambdaFor(double ratio, int intermediateSize) {
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("d_ff / lambda must be positive, got " + ratio);
        }
        return intermediateSize / ratio;
    }

    /** The highest S; on a tie the smaller ratio (stronger preservation). */
    public static Choice choose(List<Candidate> candidates) {
        Candidate best = candidates.stream().max(Comparator.comparingDouble((Candidate c) -> c.metrics().score())
                .thenComparing(Comparator.comparingDouble(Candidate::ratio).reversed())).orElseThrow(
                        () -> new IllegalArgumentException("no candidates to choose from"));
        return new Choice(candidates, best);
    }

    /** {@code hp} with the preservation strength {@code lambda}; methods without one are returned unchanged. */
    public static EditHyperparameters withLambda(EditHyperparameters hp, double lambda) {
        return switch (hp) {
            case MemitHyperparameters m -> new MemitHyperparameters(m.layers(), m.value(), lambda, m.c0Tokens());
            case EncoreHyperparameters e -> new EncoreHyperparameters(e.layers(), e.value(), lambda, e.normWeight(),
                    e.c0Tokens());
            default -> hp;
        };
    }
}
