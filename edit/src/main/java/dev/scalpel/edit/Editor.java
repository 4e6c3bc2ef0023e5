package dev.scalpel.edit;

import java.util.List;

/**
 * A knowledge editor: applies a batch of rewrites to the model in place. Editors are stateful across batches where
 * their method is (MEMIT and ENCORE remember earlier keys, AlphaEdit its projected cache), so one instance serves one
 * sequential run; {@link EditMethod} makes fresh ones.
 */
public interface Editor {
    /**
     * The method's name, as on the command line (rome, memit, alphaedit, encore), or the ablation its configuration
     * amounts to (memit+mpes, memit+norm: ENCORE's parts taken one at a time), so that a run says what it ran.
     */
    String name();

    /** Rewrites the facts of {@code batch} in the model. */
    BatchResult apply(List<EditRequest> batch);

    /** The editor's memory of earlier batches, by name, so a sequential run can be checkpointed and resumed. */
    default java.util.Map<String, dev.scalpel.core.linalg.Matrix> state() {
        return java.util.Map.of();
    }

    /** Restores what {@link #state()} saved. */
    default void restore(java.util.Map<String, dev.scalpel.core.linalg.Matrix> state) {
    }

    /** The low-rank adapter the last batch trained and merged, for editors that train one (LoRA); null otherwise. */
    default dev.scalpel.core.adapter.LoraAdapter lastAdapter() {
        return null;
    }

    /**
     * What one batch did.
     *
     * @param seconds wall time of the whole batch
     * @param valueSeconds the part of it spent optimizing the target values (NaN where the method does not separate
     *     it, as ROME's per-edit loop does not); the rest is keys, closed forms and bookkeeping
     * @param valueIterations gradient iterations of the value optimization, per edit (the dominant cost)
     * @param deltaNorms Frobenius norm of the update applied to each edited layer, by layer
     * @param meanSquaredKeyNorms mean ||k||^2 of the batch's keys at each edited layer: the scale that the methods'
     *     scale-dependent terms (ENCORE's lambda_n I, AlphaEdit's L2 term) are weighed against
     */
    record BatchResult(double seconds, double valueSeconds, List<Integer> valueIterations,
                       java.util.Map<Integer, Double> deltaNorms, java.util.Map<Integer, Double> meanSquaredKeyNorms) {
    }
}
