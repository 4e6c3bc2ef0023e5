/**
 * Shared evaluation, computed the same way by every method: perplexity and its masked-diffusion bound
 * ({@link dev.scalpel.core.eval.Perplexity}), exact match of generated answers ({@link dev.scalpel.core.eval.ExactMatch})
 * and classification metrics as scikit-learn reports them ({@link dev.scalpel.core.eval.ClassificationMetrics}).
 */
package dev.scalpel.core.eval;
