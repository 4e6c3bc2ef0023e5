package dev.scalpel.edit.metrics;

/**
 * Rewrite quality over a set of edits, in percent.
 *
 * @param efficacy CounterFact ES: P(new) > P(true) on the rewrite prompt (zsRE: token accuracy of the new target)
 * @param paraphrase CounterFact PS on paraphrase prompts (zsRE: token accuracy on the rephrased question)
 * @param neighborhood CounterFact NS: P(true) > P(new) on neighborhood prompts (zsRE specificity: token accuracy of
 *     loc_ans on the loc question)
 * @param score S, the harmonic mean of the three
 * @param generationEntropy GE (x100), NaN when not measured
 * @param edits how many edits these cover
 * @param generationEfficacy percent of rewrite and paraphrase prompts whose greedy continuation begins with the new
 *     target (what a user sees; ES only compares two probabilities), over the GE subset; NaN when not measured
 * @param neighborStability percent of neighborhood prompts whose greedy continuation is the unedited model's, over the
 *     GE subset; NaN when not measured
 */
public record EditMetrics(double efficacy, double paraphrase, double neighborhood, double score, double generationEntropy,
                          int edits, double generationEfficacy, double neighborStability) {

    /** The probability-based metrics alone (generation-based ones not measured). */
    public EditMetrics(double efficacy, double paraphrase, double neighborhood, double score, double generationEntropy,
                       int edits) {
        this(efficacy, paraphrase, neighborhood, score, generationEntropy, edits, Double.NaN, Double.NaN);
    }

    static double harmonic(double a, double b, double c) {
        if (a <= 0 || b <= 0 || c <= 0) {
            return 0;
        }
        return 3 / (1 / a + 1 / b + 1 / c);
    }
}
