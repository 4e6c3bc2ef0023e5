/**
 * AlphaEdit: null-space constrained knowledge editing (Fang et al., ICLR 2025). The paper's algorithm and where each
 * step is: the projector P onto the null space of the preserved keys, from the SVD of their second moment C0
 * ({@link dev.scalpel.edit.stats.SecondMoment}, {@link dev.scalpel.edit.alphaedit.AlphaEdit#nullSpace}, once per
 * layer); target values and keys as in MEMIT ({@link dev.scalpel.edit.ValueOptimizer},
 * {@link dev.scalpel.edit.LayerwiseEditor}); the projected closed form with the cache of earlier edits' keys
 * ({@link dev.scalpel.edit.alphaedit.AlphaEdit#closedForm}, {@link dev.scalpel.edit.KeyGrams}), which leaves outputs
 * for preserved keys unchanged; the edited keys join the cache after each batch. Hyperparameters:
 * {@link dev.scalpel.edit.alphaedit.AlphaEditHyperparameters}, from {@code hparams/alphaedit/MODEL.json}.
 */
package dev.scalpel.edit.alphaedit;
