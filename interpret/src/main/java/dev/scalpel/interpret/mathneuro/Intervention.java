package dev.scalpel.interpret.mathneuro;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;

/**
 * MathNeuro's intervention: multiply a set's weights by a factor, in place (0 prunes them; the paper scales by 1.1, or
 * 1.01 for an 8B model). Only the set's entries change; every other weight keeps its bits.
 */
public final class Intervention {
    private Intervention() {
    }

    /** Scales the set's entries of {@code model}'s weights by {@code factor}; returns how many entries it wrote. */
    public static long scale(TransformerModel model, ParameterSet set, float factor) {
        long written = 0;
        for (ParameterSet.Module m : set.modules().values()) {
            if (m.indices().length == 0) {
                continue;
            }
            LinearModule module = m.module();
            NDArray weight = model.parameters().get(module.weight());
            float[] w = weight.toFloatArray();
            int in = module.inFeatures();
            int out = module.outFeatures();
            for (int flat : m.indices()) {
                int o = flat / in;
                int i = flat % in;
                int at = module.storedInByOut() ? i * out + o : flat;
                w[at] *= factor;
            }
            try (ai.djl.ndarray.NDManager scratch = model.newManager()) {
                model.parameters().replace(module.weight(), scratch.create(w, weight.getShape()));
            }
            written += m.indices().length;
        }
        return written;
    }
}
