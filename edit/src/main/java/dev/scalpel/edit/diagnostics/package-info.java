/**
 * Diagnostics of an edited model (Gupta et al. 2025, 2502.19416): norm growth of the edited matrices
 * ({@link dev.scalpel.edit.diagnostics.MatrixDiagnostics}) and activation drift on a fixed probe set, including the
 * edited layers' share of the residual norm and principal angles to the original model's subspaces
 * ({@link dev.scalpel.edit.diagnostics.ActivationProbe}).
 */
package dev.scalpel.edit.diagnostics;
