/**
 * Sampling token sequences from a model, behind one interface ({@link dev.scalpel.core.generate.SequenceSampler}):
 * autoregressive decoding as transformers' generate does it ({@link dev.scalpel.core.generate.Generator}: left-padded
 * batches, greedy or sampled decoding with a seed per row, stop tokens and strings, a key/value cache), and MDLM's
 * masked-diffusion ancestral sampler ({@link dev.scalpel.core.generate.MaskedDiffusionSampler}) with a hook at every
 * reverse step ({@link dev.scalpel.core.generate.ReverseStepProjection}) where constrained diffusion projects.
 */
package dev.scalpel.core.generate;
