package dev.scalpel.lab.build;

import java.util.List;

/**
 * How well the lab's masked diffusion LM models its data.
 *
 * @param perplexityBound exp(negative ELBO per token) on the held-out text test split: an upper bound on perplexity
 * @param samples decoded unconditional samples
 * @param samplePerplexity perplexity of the samples under the lab's causal LM (a fluency proxy), or NaN without it
 * @param distinctBigrams share of distinct token bigrams among all bigrams of the samples (diversity)
 * @param samplingSteps reverse steps used
 */
public record MdlmMetrics(double perplexityBound, List<String> samples, double samplePerplexity, double distinctBigrams,
                          int samplingSteps) {
}
