package dev.scalpel.edit;

import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.TransformerModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads activations at chosen token positions of a batch of prompts: the keys and values editing works with. */
public final class Activations {
    private Activations() {
    }

    /**
     * For each hook, a [rows, dim] float64 matrix holding the activation of row i at {@code positions[i]}.
     */
    public static Map<String, Matrix> at(TransformerModel model, TokenBatch batch, int[] positions, List<String> hooks) {
        return ActivationStream.of(model, hooks).lastPositionOnly().forward(batch, pass -> {
            Map<String, Matrix> out = new LinkedHashMap<>();
            for (String name : hooks) {
                NDArray a = pass.at(name);                            // [rows, S, dim]
                int dim = (int) a.getShape().get(2);
                Matrix result = Matrix.zeros(batch.size(), dim);
                for (int r = 0; r < batch.size(); r++) {
                    float[] v = a.get(r, positions[r]).toFloatArray();
                    for (int j = 0; j < dim; j++) {
                        result.set(r, j, v[j]);
                    }
                }
                out.put(name, result);
            }
            return out;
        });
    }
}
