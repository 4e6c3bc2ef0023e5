/**
 * Linear probes on model features (the MOSAIC method) and their baselines. Texts go through a model once
 * ({@link dev.scalpel.interpret.probe.HookActivations}); their activations at a hook become SAE features
 * ({@link dev.scalpel.interpret.probe.SaeFeatures}: encode, core's {@link dev.scalpel.core.activations.TokenPooling},
 * optional {@link dev.scalpel.interpret.probe.Binarization}) or the hidden-state baseline
 * ({@link dev.scalpel.interpret.probe.HiddenStateFeatures}); the TF-IDF baseline
 * ({@link dev.scalpel.interpret.probe.TfIdfBaseline}) reads the texts. A
 * {@link dev.scalpel.interpret.probe.ProbeExperiment} scores each with a LIBLINEAR logistic probe
 * ({@link dev.scalpel.interpret.probe.LogisticProbe}) on one shared split;
 * {@link dev.scalpel.interpret.probe.ProbeReport} turns the outcome into results.json and a report.
 */
package dev.scalpel.interpret.probe;
