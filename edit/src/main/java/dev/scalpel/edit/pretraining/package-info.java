/**
 * Continued pre-training of a trained model with the norm-growth paper's diagnostics: the paper's first finding is that
 * the norms of updated matrices grow not only under knowledge editing but under continued pre-training and fine-tuning
 * too. {@link dev.scalpel.edit.pretraining.ContinuedPretraining} trains every weight on new text, measures every linear
 * module and the activations at each checkpoint, and {@link dev.scalpel.edit.pretraining.NormGrowthClaims} says over
 * seeds whether the norms grew.
 */
package dev.scalpel.edit.pretraining;
