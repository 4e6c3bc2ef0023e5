/**
 * ROME: rank-one model editing (Meng et al., NeurIPS 2022). The paper's algorithm and where each step is: the key k*
 * at the subject's last token, averaged over the context templates ({@link dev.scalpel.edit.ContextTemplates},
 * {@link dev.scalpel.edit.SubjectLocator}); the value v* optimized at the MLP output
 * ({@link dev.scalpel.edit.ValueOptimizer}); the preserved keys' second moment C0
 * ({@link dev.scalpel.edit.stats.SecondMoment}); and the rank-one update that maps k* to v* with the least change
 * under C0 ({@link dev.scalpel.edit.rome.Rome#compute}). One fact at a time, one layer. Hyperparameters:
 * {@link dev.scalpel.edit.rome.RomeHyperparameters}, from {@code hparams/rome/MODEL.json}.
 */
package dev.scalpel.edit.rome;
