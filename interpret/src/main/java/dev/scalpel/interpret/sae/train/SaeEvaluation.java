package dev.scalpel.interpret.sae.train;

/**
 * A trained SAE measured on raw (unscaled) activations: a fresh draw of rows from the training activations, with its
 * own seed (SAEs see each row about once at scale, so this is close to held-out; pass other rows to measure
 * generalization).
 *
 * @param rows how many rows were measured
 * @param l0 mean number of active latents per row
 * @param fvu fraction of variance unexplained over those rows
 * @param deadFraction latents dead at the end of training (no firing within the dead-token window)
 */
public record SaeEvaluation(long rows, double l0, double fvu, double deadFraction) {
}
