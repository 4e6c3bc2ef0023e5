/**
 * MEMIT: mass-editing memory in a transformer (Meng et al., ICLR 2023). The paper's Algorithm 1 and where each step
 * is: target values z_i at the last edited layer ({@link dev.scalpel.edit.ValueOptimizer}, MEMIT's compute_z); for
 * each edited layer, lowest first, the keys K at the subject's last token averaged over the context templates
 * ({@link dev.scalpel.edit.ContextTemplates}, {@link dev.scalpel.edit.Activations}), the residual spread over the
 * layers left ({@link dev.scalpel.edit.LayerwiseEditor}) and the least-squares update against the preserved keys'
 * second moment C0 ({@link dev.scalpel.edit.stats.SecondMoment}) solved in float64
 * ({@link dev.scalpel.edit.memit.Memit#closedForm}). In sequential editing the earlier batches' keys enter the normal
 * equations ({@link dev.scalpel.edit.KeyGrams}), as the lifelong-editing papers run MEMIT. Hyperparameters:
 * {@link dev.scalpel.edit.memit.MemitHyperparameters}, from {@code hparams/memit/MODEL.json}.
 */
package dev.scalpel.edit.memit;
