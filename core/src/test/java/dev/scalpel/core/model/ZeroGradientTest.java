package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Zeroing gradients after an overflow leaves zeros (g - g, the old way, left NaN that every later step inherited). */
class ZeroGradientTest {
    @Test
    void anInfiniteGradientIsZeroedToZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), m)) {
            Parameters params = model.parameters();
            params.requireGradients(true);   // before any backward pass: no gradient exists yet, nothing to zero
            NDArray w = params.get("transformer.ln_f.weight");
            try (NDManager scratch = m.newSubManager(); GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(Scalars.mul(w.sum(), Float.POSITIVE_INFINITY));
            }
            assertTrue(Float.isInfinite(w.getGradient().max().getFloat()), "the backward pass overflowed");
            params.zeroGradients();
            assertEquals(0f, w.getGradient().abs().max().getFloat());
            params.requireGradients(false);
        }
    }
}
