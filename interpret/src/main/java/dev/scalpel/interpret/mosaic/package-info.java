/**
 * MOSAIC (Chen et al. 2025, sparse-autoencoder features for safety classification), as the paper runs it: harvest a
 * layer's activations over the data ({@link dev.scalpel.interpret.harvest}), train an SAE per layer
 * ({@link dev.scalpel.interpret.sae.train}), pool each text's features ({@link dev.scalpel.interpret.mosaic.PooledFeatures}),
 * probe them against the hidden state and TF-IDF over a grid of layers, widths and poolings
 * ({@link dev.scalpel.interpret.mosaic.MosaicReproduction}, settings in {@link dev.scalpel.interpret.mosaic.MosaicConfig}),
 * judge the paper's claims on the results ({@link dev.scalpel.interpret.mosaic.MosaicClaims}) and report them
 * ({@link dev.scalpel.interpret.mosaic.MosaicReport}). Every harvest, SAE
 * and cell is keyed by what determines it, so a rerun with other settings never reuses them.
 */
package dev.scalpel.interpret.mosaic;
