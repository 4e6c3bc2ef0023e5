/**
 * Diagnostics of an edited model from "The Norm Growth Problem in Sequential Knowledge Editing" (Gupta et al. 2025,
 * arXiv 2502.19416). The paper's two measurements and where each is: the edited matrices' growth (Frobenius norm of W
 * and of W - W0, the top singular value's share of the energy, the condition number and the spectral entropy:
 * {@link dev.scalpel.edit.diagnostics.MatrixDiagnostics}); and activation drift on a fixed probe set, each layer's
 * attention, MLP and residual norms, the edited layers' share of the residual and the principal angles between the
 * edited and the original model's activation subspaces ({@link dev.scalpel.edit.diagnostics.ActivationProbe}).
 * Both are recorded after every batch of a sequential run ({@link dev.scalpel.edit.run.SequentialEditRun}).
 */
package dev.scalpel.edit.diagnostics;
