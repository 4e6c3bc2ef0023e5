package dev.scalpel.interpret.sae.train;

import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.List;

/**
 * What training produced. The SAE takes raw activations (any training-time scaling is folded into its weights); the
 * caller owns it and closes it.
 *
 * @param history the metrics reported during training
 * @param evaluation the final SAE on held-apart rows
 * @param activationScale the factor training multiplied activations by (1 when not scaled)
 * @param steps optimizer steps taken
 * @param seconds wall time of the training loop
 */
public record SaeTrainingResult(SparseAutoencoder sae, List<SaeMetrics> history, SaeEvaluation evaluation,
                                double activationScale, long steps, double seconds) {

    public SaeTrainingResult {
        history = List.copyOf(history);
    }

    /** Steps per second over the whole loop. */
    public double stepsPerSecond() {
        return steps / Math.max(seconds, 1e-9);
    }
}
