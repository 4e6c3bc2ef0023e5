package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scalpel.core.linalg.Matrix;

/**
 * One linear module's weight read, and changes to it given, in the module's own orientation ([out, in]) whatever its
 * storage.
 */
public final class WeightUpdate {
    private WeightUpdate() {
    }

    /** The module's weight as [out, in] float64, transposed from a weight stored [in, out] (GPT-2's Conv1D). */
    public static Matrix read(TransformerModel model, LinearModule module) {
        Matrix w = Matrix.from(model.parameters().get(module.weight()));
        return module.storedInByOut() ? w.transpose() : w;
    }

    /**
     * Adds {@code delta} ([out, in]) to the module's weight in place, transposed for a weight stored [in, out] (GPT-2's
     * Conv1D), and rounded once to the stored type.
     */
    public static void add(TransformerModel model, LinearModule module, Matrix delta) {
        if (delta.rows() != module.outFeatures() || delta.cols() != module.inFeatures()) {
            throw new IllegalArgumentException("a change to " + module.name() + " must be [" + module.outFeatures() + ", "
                    + module.inFeatures() + "] (out, in), got [" + delta.rows() + ", " + delta.cols() + "]");
        }
        NDArray w = model.parameters().get(module.weight());
        Matrix stored = module.storedInByOut() ? delta.transpose() : delta;
        try (NDArray update = stored.toNDArray(w.getManager(), DataType.FLOAT32);
             NDArray sum = w.add(update)) {
            model.parameters().replace(module.weight(), sum);
        }
    }
}
