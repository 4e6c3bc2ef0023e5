package dev.scalpel.interpret.sae.train;

/**
 * Training metrics of one step's batch (activations as trained on, i.e. scaled when the config scales them).
 *
 * @param loss the total loss minimized
 * @param reconstruction its reconstruction term (TopK: normalized MSE; standard: summed squared error per row)
 * @param sparsity its other term, already weighted (TopK: AuxK; standard: lambda times the decoder-norm-weighted L1)
 * @param l0 mean number of active latents per row
 * @param fvu fraction of variance unexplained: sum |x - x_hat|^2 / sum |x - mean(x)|^2 over the batch
 * @param deadFraction latents that have not fired within the dead-token window
 * @param l1Coefficient lambda at this step (0 for TopK)
 * @param stepsPerSecond training speed since the previous report
 */
public record SaeMetrics(long step, double loss, double reconstruction, double sparsity, double l0, double fvu,
                         double deadFraction, double l1Coefficient, double stepsPerSecond) {
}
