/**
 * Knowledge editing: ROME (Meng et al. 2022), MEMIT (Meng et al. 2023), AlphaEdit (Fang et al. 2025) and ENCORE
 * (Gupta et al. 2025, arXiv 2502.01636), behind one {@link dev.scalpel.edit.Editor} interface; sequential (lifelong)
 * editing runs with checkpoints; CounterFact and zsRE metrics; and the norm-growth and activation-drift diagnostics of
 * "The Norm Growth Problem in Sequential Knowledge Editing" (arXiv 2502.19416).
 */
package dev.scalpel.edit;
