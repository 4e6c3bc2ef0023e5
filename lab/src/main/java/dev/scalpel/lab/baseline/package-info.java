/**
 * Classical baselines the lab's neural models are measured against: an interpolated modified Kneser-Ney n-gram model
 * trained on the same training tokens, scoring exactly the targets the transformer's held-out perplexity scores.
 */
package dev.scalpel.lab.baseline;
