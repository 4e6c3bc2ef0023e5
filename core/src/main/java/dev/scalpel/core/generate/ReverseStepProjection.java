package dev.scalpel.core.generate;

/**
 * A change to the masked-diffusion sampler's predicted clean-token distribution at each reverse step, before tokens
 * are drawn from it: the place where constrained discrete diffusion (CDD) projects p(x0 | xt) onto its constraint set.
 * An implementation may rewrite {@code probabilities} in place; each row it touches must stay a distribution
 * (non-negative, summing to 1), and it must not give mass to the mask token.
 */
@FunctionalInterface
public interface ReverseStepProjection {

    /** Leaves the prediction as the network made it. */
    ReverseStepProjection NONE = (step, tokens, probabilities) -> { };

    /**
     * @param step the reverse step, counting down from the number of steps to 1
     * @param tokens the current sequences [batch][length]; masked positions hold the mask id (read only)
     * @param probabilities p(x0 | xt) per sequence and position [batch][length][vocab], rewritable
     */
    void project(int step, long[][] tokens, float[][][] probabilities);
}
