package dev.scalpel.core.generate;

/**
 * How the next token is chosen from the logits: greedily (argmax, first index on ties, as torch does), or by sampling
 * after transformers' warpers in their order: temperature, then top-k, then top-p (nucleus).
 *
 * @param greedy argmax decoding; the other fields are ignored
 * @param temperature divides the logits (must be positive)
 * @param topK keep the k most likely tokens (0 keeps all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1 keeps all)
 * @param seed seeds the sampler, so the same request gives the same tokens
 */
public record Sampling(boolean greedy, double temperature, int topK, double topP, long seed) {
    public Sampling {
        if (!greedy) {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be positive, got " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be 0 (off) or positive, got " + topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
            }
        }
    }

    public static Sampling greedyDecoding() {
        return new Sampling(true, 1, 0, 1, 0);
    }

    public static Sampling sample(double temperature, int topK, double topP, long seed) {
        return new Sampling(false, temperature, topK, topP, seed);
    }
}
