/**
 * ENCORE: lifelong sequential knowledge editing without model degradation (Gupta et al. 2025, arXiv 2502.01636):
 * most-probable early stopping plus a norm-constrained closed-form update. The paper's claims about sequential runs
 * (norm growth, kept quality, time per edit) are checked by {@link dev.scalpel.edit.encore.EncoreClaims}.
 */
package dev.scalpel.edit.encore;
