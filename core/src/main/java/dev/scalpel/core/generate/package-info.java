/**
 * Autoregressive generation as transformers' generate does it: left-padded batches, greedy or sampled decoding with
 * a seed per row, stop tokens and strings, a key/value cache ({@link dev.scalpel.core.generate.Generator}).
 */
package dev.scalpel.core.generate;
