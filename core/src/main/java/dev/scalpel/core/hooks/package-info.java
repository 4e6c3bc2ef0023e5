/**
 * Hook points with TransformerLens names: a hook reads (caches) an activation or replaces it, and gradients flow
 * through replacements ({@link dev.scalpel.core.hooks.Hooks}, {@link dev.scalpel.core.hooks.ActivationCache}).
 */
package dev.scalpel.core.hooks;
