package dev.scalpel.edit.run;

import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.List;
import java.util.Map;

/** What a sequential run records; serialized into results.json. */
public final class SequentialRecords {
    private SequentialRecords() {
    }

    /**
     * After each batch: cost and what changed in the weights.
     *
     * @param meanSquaredKeyNorms mean ||k||^2 of the batch's keys by edited layer (null in runs from before it was kept)
     */
    public record Batch(int batch, int editsSoFar, double seconds, double secondsPerEdit, double meanValueIterations,
                        Map<Integer, Double> deltaNorms, Map<Integer, MatrixDiagnostics> matrices,
                        Map<Integer, Double> meanSquaredKeyNorms) {
    }

    /** Every evaluateEvery edits: how good the edits are, what they cost the model, how activations moved. */
    public record Evaluation(int editsSoFar, EditMetrics allEdits, EditMetrics latestBatch, Map<String, Double> downstream,
                             List<ActivationProbe.LayerActivity> activations) {
    }
}
