package dev.scalpel.core.generate;

import java.util.List;
import java.util.Set;

/**
 * What to generate.
 *
 * @param prompts token ids per sequence (lengths may differ: shorter prompts are left-padded)
 * @param maxNewTokens the most tokens to add to each sequence
 * @param sampling how tokens are chosen
 * @param stopTokenIds a sequence ends after emitting one of these (its EOS ids); empty for none
 * @param stopStrings a sequence ends once its generated text contains one of these (needs a tokenizer)
 * @param useCache reuse keys and values of earlier positions (the result is the same either way)
 */
public record GenerationRequest(List<long[]> prompts, int maxNewTokens, Sampling sampling, Set<Long> stopTokenIds,
                                List<String> stopStrings, boolean useCache) {
    public GenerationRequest {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to generate from");
        }
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty: generation needs at least one token");
            }
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        }
        prompts = List.copyOf(prompts);
        stopTokenIds = Set.copyOf(stopTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    /** The prompts and limit with no stop conditions and no cache (what a fixed-length sampler takes). */
    public static GenerationRequest of(List<long[]> prompts, int maxNewTokens, Sampling sampling) {
        return new GenerationRequest(prompts, maxNewTokens, sampling, Set.of(), List.of(), false);
    }

    /** Greedy decoding of one prompt with a KV cache and no stop conditions. */
    public static GenerationRequest greedy(long[] prompt, int maxNewTokens) {
        return new GenerationRequest(List.of(prompt), maxNewTokens, Sampling.greedyDecoding(), Set.of(), List.of(), true);
    }

    public GenerationRequest withSampling(Sampling s) {
        return new GenerationRequest(prompts, maxNewTokens, s, stopTokenIds, stopStrings, useCache);
    }

    public GenerationRequest withStopTokenIds(Set<Long> ids) {
        return new GenerationRequest(prompts, maxNewTokens, sampling, ids, stopStrings, useCache);
    }

    public GenerationRequest withStopStrings(List<String> stops) {
        return new GenerationRequest(prompts, maxNewTokens, sampling, stopTokenIds, stops, useCache);
    }

    public GenerationRequest withCache(boolean cache) {
        return new GenerationRequest(prompts, maxNewTokens, sampling, stopTokenIds, stopStrings, cache);
    }
}
