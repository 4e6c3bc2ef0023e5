/**
 * Float64 linear algebra for the methods' solves, on OpenBLAS/LAPACK: {@link dev.scalpel.core.linalg.Matrix} and
 * {@link dev.scalpel.core.linalg.Linalg} (solve, Cholesky, symmetric eigendecomposition, SVD).
 */
package dev.scalpel.core.linalg;
