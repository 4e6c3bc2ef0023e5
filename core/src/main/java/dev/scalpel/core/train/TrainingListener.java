package dev.scalpel.core.train;

/** Receives training progress: every step, and every evaluation and checkpoint. */
public interface TrainingListener {
    /** After each optimizer step. */
    default void onStep(long step, long totalSteps, double loss, double learningRate, double gradNorm, double tokensPerSecond) {
    }

    /**
     * A step whose loss or gradient norm was not finite, recomputed once from the state before it (nothing had been
     * applied); {@code recovered} says whether the second try was finite.
     */
    default void onNonFiniteStep(long step, double loss, double gradNorm, boolean recovered) {
        System.err.printf("step %d: loss %s, gradient norm %s; recomputed from the state before it: %s%n", step, loss,
                gradNorm, recovered ? "finite, training goes on" : "still not finite");
    }

    default void onEvaluation(long step, double validationLoss) {
    }

    default void onCheckpoint(long step, long tokens, java.nio.file.Path folder) {
    }

    TrainingListener NONE = new TrainingListener() { };
}
