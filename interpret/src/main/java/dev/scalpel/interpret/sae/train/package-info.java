/**
 * Training sparse autoencoders with DJL's autograd: TopK (OpenAI: AuxK, unit-norm decoder rows with the parallel
 * gradient removed, geometric-median b_pre) and standard ReLU + L1 (SAELens with Anthropic's April 2024 penalty), with
 * metrics as training goes ({@link dev.scalpel.interpret.sae.train.SaeTrainer}); and the splice evaluation, the model's
 * behavior with the reconstruction in place of the activation ({@link dev.scalpel.interpret.sae.train.SpliceEvaluation}).
 * {@link dev.scalpel.interpret.sae.train.SaeTrainingReport} gives a run's training.json and its report.
 */
package dev.scalpel.interpret.sae.train;
