package dev.scalpel.interpret.mathneuro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LAPE's probabilities against counts read at another hook point, its selection on a worked example, its weights. */
class LapeTest {

    private static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    @Test
    void probabilitiesAreTheShareOfTokensWhereTheActivationIsPositive() {
        try (LoadedModel lm = LoadedModel.open(fixture("gpt2-tiny"))) {
            TransformerModel model = lm.model();
            Random r = new Random(5);
            List<List<long[]>> tasks = List.of(
                    List.of(r.longs(9, 0, 200).toArray(), r.longs(5, 0, 200).toArray()),
                    List.of(r.longs(12, 0, 200).toArray()));
            double[][][] p = Lape.probabilities(model, tasks);
            // The oracle reads GELU's output (hook_post) rather than its input and counts in Java.
            for (int t = 0; t < tasks.size(); t++) {
                int layers = model.config().numLayers();
                for (int l = 0; l < layers; l++) {
                    String hook = HookNames.block(l, HookNames.MLP_POST);
                    double[] count = null;
                    long tokens = 0;
                    for (long[] sample : tasks.get(t)) {
                        try (NDManager nd = model.newManager()) {
                            Hooks hooks = Hooks.caching(nd, List.of(hook));
                            model.forward(TokenBatch.right(List.of(sample), 0).request(nd), hooks, nd).close();
                            float[] a = hooks.cache().get(hook).toFloatArray();
                            int width = a.length / sample.length;
                            count = count == null ? new double[width] : count;
                            for (int k = 0; k < a.length; k++) {
                                count[k % width] += a[k] > 0 ? 1 : 0;
                            }
                            tokens += sample.length;
                        }
                    }
                    for (int n = 0; n < count.length; n++) {
                        assertEquals(count[n] / tokens, p[l][n][t], 1e-12, "task " + t + " layer " + l + " neuron " + n);
                    }
                }
            }
        }
    }

    @Test
    void selectionOnAWorkedExample() {
        // [layer][neuron][task]: L0N0 fires only on task 0, L1N0 only on task 1 (entropy 0); L0N1 on both (ln 2);
        // L1N1 never above the filter. The 4th smallest of the 8 values (rate 0.5) is 0.1: filter and bar.
        double[][][] p = {{{0.9, 0.0}, {0.5, 0.5}}, {{0.0, 0.8}, {0.1, 0.1}}};
        List<Map<Integer, int[]>> neurons = Lape.select(p, new Lape.Config(0.5, 0.5, 0.5));
        assertEquals(2, neurons.size());
        assertEquals(List.of(0), List.copyOf(neurons.get(0).keySet()));
        assertArrayEquals(new int[] {0}, neurons.get(0).get(0));
        assertEquals(List.of(1), List.copyOf(neurons.get(1).keySet()));
        assertArrayEquals(new int[] {0}, neurons.get(1).get(1));
        // With every neuron selected, the shared one (L0N1, 0.5 on both) belongs to both tasks.
        List<Map<Integer, int[]>> all = Lape.select(p, new Lape.Config(1.0, 0.5, 0.5));
        assertArrayEquals(new int[] {0, 1}, all.get(0).get(0));
        assertArrayEquals(new int[] {1}, all.get(1).get(0));
    }

    @Test
    void aNeuronsWeightsAreItsColumnOfTheDownProjection() {
        try (LoadedModel lm = LoadedModel.open(fixture("llama-tiny"))) {
            ParameterSet set = Lape.asWeights(lm.model(), Map.of(0, new int[] {1, 3}));
            for (ParameterSet.Module m : set.modules().values()) {
                LinearModule module = m.module();
                assertEquals(LinearModule.Role.MLP_DOWN, module.role());
                if (module.layer() != 0) {
                    assertEquals(0, m.indices().length);
                    continue;
                }
                assertEquals(2 * module.outFeatures(), m.indices().length);
                for (int flat : m.indices()) {
                    int column = flat % module.inFeatures();
                    assertTrue(column == 1 || column == 3, "column " + column);
                }
            }
        }
    }
}
