package dev.scalpel.interpret.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.Runtime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Binarization on the device and per value, at the threshold's edge. */
class BinarizationTest {
    @Test
    void binarizationIsStrictUnlessInclusive() {
        Runtime.init();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray v = manager.create(new float[] {0.5f, 1f, 1.5f});
            assertEquals("[0.0, 0.0, 1.0]", Arrays.toString(Binarization.above(1f).apply(v).toFloatArray()));
            assertEquals("[0.0, 1.0, 1.0]", Arrays.toString(Binarization.atLeast(1f).apply(v).toFloatArray()));
            assertEquals(0f, Binarization.above(1f).apply(1f));
        }
    }
}
