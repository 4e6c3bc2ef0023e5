package dev.scalpel.interpret.sae.train;

/** Receives training metrics every {@code logEvery} steps and after the last step. */
@FunctionalInterface
public interface SaeTrainingListener {
    void onMetrics(SaeMetrics metrics);

    SaeTrainingListener NONE = metrics -> { };
}
