/**
 * Running data through a model and reading what happens inside, the one way every method does it:
 * {@link dev.scalpel.core.activations.TokenBatch} lays token rows out for one forward pass (right or left padded,
 * masked, with positions and segments), and {@link dev.scalpel.core.activations.ActivationStream} runs batches with
 * hook points cached and hands each pass to a callback that copies out what it keeps. Editing's keys and values, C0,
 * SAE harvests, feature probes, sentence embeddings, activation-drift probes and target scoring all read through it;
 * GPTQ's calibration Hessians, MathNeuro's importance scores and the fairness harnesses will too. A text's token
 * vectors become one vector by {@link dev.scalpel.core.activations.TokenPooling} (mean, [CLS], sum, max, last, top-n
 * counts), on the device for a batch or in {@link dev.scalpel.core.activations.TokenRowPooler} for harvested rows.
 */
package dev.scalpel.core.activations;
