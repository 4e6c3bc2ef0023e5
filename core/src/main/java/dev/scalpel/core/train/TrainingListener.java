package dev.scalpel.core.train;

/** Receives training progress: every step, and every evaluation and checkpoint. */
public interface TrainingListener {
    /** After each optimiser step. */
    default void onStep(long step, long totalSteps, double loss, double learningRate, double gradNorm, double tokensPerSecond) {
    }

    default void onEvaluation(long step, double validationLoss) {
    }

    default void onCheckpoint(long step, long tokens, java.nio.file.Path folder) {
    }

    TrainingListener NONE = new TrainingListener() { };
}
