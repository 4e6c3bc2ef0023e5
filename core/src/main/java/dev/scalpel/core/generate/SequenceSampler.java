package dev.scalpel.core.generate;

/**
 * Anything that turns prompts into longer token sequences: {@link Generator} decodes left to right, one token per
 * forward pass; {@link MaskedDiffusionSampler} starts from a masked continuation and unmasks it over a fixed number of
 * reverse steps. Evaluations that only need "sample from this model" (perplexity of samples, diversity, constraint
 * satisfaction) take this interface, so they run on either kind of language model.
 */
public interface SequenceSampler {

    /** One result per prompt, in the request's order. */
    Generation generate(GenerationRequest request);
}
