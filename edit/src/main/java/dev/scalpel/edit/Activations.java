package dev.scalpel.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.ForwardRequest;
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
    public static Map<String, Matrix> at(TransformerModel model, PromptBatch batch, int[] positions, List<String> hooks) {
        try (NDManager m = model.parameters().manager().newSubManager()) {
            Hooks h = Hooks.caching(m, hooks);
            model.forward(ForwardRequest.of(batch.ids(m)).withAttentionMask(batch.mask(m)), h, m);
            Map<String, Matrix> out = new LinkedHashMap<>();
            for (String name : hooks) {
                NDArray a = h.cache().get(name);                      // [rows, S, dim]
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
        }
    }
}
