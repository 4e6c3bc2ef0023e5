package dev.scalpel.interpret.harvest;

/** What one text contributes to a harvest: a row per token, or one pooled row. */
public enum HarvestMode {
    /** One row per kept token (SAE training data). */
    TOKENS,
    /** One row per text: the mean over its kept tokens (a sentence vector at the hook). */
    MEAN,
    /** One row per text: its last kept token (what a causal model has read of the whole text). */
    LAST
}
