/**
 * Sparse autoencoders: the model ({@link dev.scalpel.interpret.sae.SparseAutoencoder}: ReLU, JumpReLU and TopK
 * encoders), SAELens folders and Gemma Scope files read and written ({@link dev.scalpel.interpret.sae.SaeLoader},
 * {@link dev.scalpel.interpret.sae.SaeWriter}, {@link dev.scalpel.interpret.sae.SaeLensConfig}), and a check that
 * an SAE reconstructs the activations it is applied to ({@link dev.scalpel.interpret.sae.ReconstructionCheck}).
 */
package dev.scalpel.interpret.sae;
