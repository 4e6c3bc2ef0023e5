/**
 * ENCORE: lifelong sequential knowledge editing without model degradation (Gupta et al. 2025, arXiv 2502.01636):
 * most-probable early stopping plus a norm-constrained closed-form update.
 */
package dev.scalpel.edit.encore;
