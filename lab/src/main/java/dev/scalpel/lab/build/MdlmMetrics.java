package dev.scalpel.lab.build;

import java.util.List;

/**
 * How well the lab's masked diffusion LM models its data, judged beside lab-lm on the same text.
 *
 * @param split which held-out split the prose came from ("validation" to choose, "test" to report)
 * @param perplexityBound exp(negative ELBO per token) on that split's prose: an upper bound on perplexity
 * @param labLmPerplexity lab-lm's perplexity on exactly the same windows (NaN without lab-lm)
 * @param samples decoded unconditional samples
 * @param samplePerplexity perplexity of the samples under lab-lm (a fluency proxy), or NaN without it
 * @param heldOutPerplexityUnderLabLm lab-lm's perplexity on the held-out prose cut into windows of the samples' length,
 *                                    the yardstick for {@code samplePerplexity}
 * @param distinctBigrams share of distinct token bigrams among all bigrams of the samples (diversity)
 * @param samplingSteps reverse steps used
 */
public record MdlmMetrics(String split, double perplexityBound, double labLmPerplexity, List<String> samples,
                          double samplePerplexity, double heldOutPerplexityUnderLabLm, double distinctBigrams,
                          int samplingSteps) {

    /** The bound over lab-lm's perplexity on the same text (the goal: at most 1.5). */
    public double boundRatio() {
        return perplexityBound / labLmPerplexity;
    }

    /** The samples' perplexity over held-out prose's, both under lab-lm (the goal: at most 2). */
    public double sampleRatio() {
        return samplePerplexity / heldOutPerplexityUnderLabLm;
    }
}
