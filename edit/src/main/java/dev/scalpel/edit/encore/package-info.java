/**
 * ENCORE: lifelong sequential knowledge editing without model degradation (Gupta et al. 2025, arXiv 2502.01636).
 * The paper's algorithm, step by step, and where each step is:
 * <ol>
 *   <li>Keys: for each fact, the input of the edited layers' down projection at the subject's last token, averaged
 *       over MEMIT's context templates ({@link dev.scalpel.edit.ContextTemplates},
 *       {@link dev.scalpel.edit.SubjectLocator}, {@link dev.scalpel.edit.Activations}; where the edit goes:
 *       {@link dev.scalpel.edit.EditSite}).</li>
 *   <li>Target values with most-probable early stopping (MPES): gradient descent on a vector added at the last edited
 *       layer's output, stopped once the new target is the most probable token in every rewrite prompt, plus a few
 *       steps ({@link dev.scalpel.edit.ValueOptimizer}, {@code mpesExtra} in
 *       {@link dev.scalpel.edit.ValueHyperparameters}).</li>
 *   <li>The residual spread over the edited layers, lowest first, each layer's keys recomputed on the partly edited
 *       model (MEMIT's Algorithm 1, shared: {@link dev.scalpel.edit.LayerwiseEditor}).</li>
 *   <li>The norm-constrained closed form per layer, with the preserved keys' second moment C0
 *       ({@link dev.scalpel.edit.stats.SecondMoment}, weight lambda_p), every earlier batch's keys
 *       ({@link dev.scalpel.edit.KeyGrams}) and lambda_n I, which keeps ||W|| from growing
 *       ({@link dev.scalpel.edit.encore.Encore#update}).</li>
 *   <li>Sequential editing: batches applied one after another, norms and downstream quality measured after each
 *       ({@link dev.scalpel.edit.run.SequentialEditRun}, {@link dev.scalpel.edit.diagnostics}).</li>
 * </ol>
 * Hyperparameters: {@link dev.scalpel.edit.encore.EncoreHyperparameters}, read from {@code hparams/encore/MODEL.json}.
 * The paper's claims about sequential runs (least norm growth, kept quality, time per edit) are judged on a run's
 * records by {@link dev.scalpel.edit.encore.EncoreClaims}.
 */
package dev.scalpel.edit.encore;
