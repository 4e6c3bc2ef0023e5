package dev.scalpel.interpret.mathneuro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** MathNeuro's scores against a brute-force loop, its set arithmetic, and interventions that touch only their set. */
class MathNeuroTest {

    private static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    private static List<long[]> samples(int vocab) {
        Random r = new Random(3);
        return List.of(r.longs(7, 3, vocab).toArray(), r.longs(4, 3, vocab).toArray(), r.longs(11, 3, vocab).toArray());
    }

    /** S_ij = sum over samples of |W_ij| sqrt(sum_t x_tj^2), each element looped over in double precision. */
    private static double[] bruteForce(TransformerModel model, LinearModule m, List<long[]> samples) {
        float[] w = model.parameters().get(m.weight()).toFloatArray();
        int in = m.inFeatures();
        int out = m.outFeatures();
        double[] s = new double[in * out];
        for (long[] sample : samples) {
            float[] x;
            try (NDManager nd = model.newManager()) {
                Hooks hooks = Hooks.caching(nd, List.of(m.inputHook()));
                model.forward(TokenBatch.right(List.of(sample), 0).request(nd), hooks, nd).close();
                x = hooks.cache().get(m.inputHook()).toFloatArray();
            }
            int tokens = sample.length;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double sq = 0;
                    for (int t = 0; t < tokens; t++) {
                        sq += (double) x[t * in + i] * x[t * in + i];
                    }
                    double wij = m.storedInByOut() ? w[i * out + o] : w[o * in + i];
                    s[o * in + i] += Math.abs(wij) * Math.sqrt(sq);
                }
            }
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})   // Conv1D [in, out] storage and nn.Linear [out, in]
    void scoresMatchABruteForceLoopOverEveryModuleAndSample(String name) {
        try (LoadedModel lm = LoadedModel.open(fixture(name))) {
            TransformerModel model = lm.model();
            List<long[]> samples = samples(model.config().vocabSize());
            var scores = ImportanceScores.of(model, samples);
            assertEquals(model.linearModules().size(), scores.size());
            for (LinearModule m : model.linearModules()) {
                double[] expected = bruteForce(model, m, samples);
                float[] got = scores.get(m.name()).scores();
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], got[k], 1e-5 * Math.max(1, Math.abs(expected[k])), m.name() + " entry " + k);
                }
            }
        }
    }

    @Test
    void topKTakesTheLargestPerMatrixAndTheDifferenceRemovesTheGeneralSet() {
        LinearModule a = new LinearModule("a", 0, LinearModule.Role.QUERY, "a.weight", null, false, 4, 2, "in", List.of("out"));
        // scores [out=2, in=4]: the top 3 are entries 5 (9), 2 (8) and, of the two 7s, the lower index 1.
        float[] target = {0, 7, 8, 1, 2, 9, 7, 3};
        float[] general = {9, 0, 8, 0, 0, 0, 0, 0};
        var t = ParameterSet.topK(Map.of("a", new ImportanceScores.ModuleScores(a, target)), 3 / 8.0);
        var g = ParameterSet.topK(Map.of("a", new ImportanceScores.ModuleScores(a, general)), 2 / 8.0);
        assertArrayEquals(new int[] {1, 2, 5}, t.modules().get("a").indices());
        assertArrayEquals(new int[] {0, 2}, g.modules().get("a").indices());
        ParameterSet specific = t.minus(g);
        assertArrayEquals(new int[] {1, 5}, specific.modules().get("a").indices());
        assertEquals(2, specific.count());
        assertEquals(0.25, specific.share(), 0);
        assertEquals(0, ParameterSet.topK(Map.of("a", new ImportanceScores.ModuleScores(a, target)), 0.1).count(),
                "int(8 x 0.1) = 0 entries");
    }

    @Test
    void theRandomBaselineHasTheSameCountInEveryMatrix() {
        try (LoadedModel lm = LoadedModel.open(fixture("llama-tiny"))) {
            var scores = ImportanceScores.of(lm.model(), samples(lm.model().config().vocabSize()));
            ParameterSet top = ParameterSet.topK(scores, 0.05);
            ParameterSet random = top.randomLike(11);
            assertEquals(top.counts(), random.counts());
            assertTrue(top.count() > 0);
            random.modules().values().forEach(m -> {
                for (int i = 1; i < m.indices().length; i++) {
                    assertTrue(m.indices()[i] > m.indices()[i - 1], "distinct and sorted");
                }
            });
            assertTrue(!java.util.Arrays.equals(top.modules().values().iterator().next().indices(),
                    random.modules().values().iterator().next().indices()));
            assertEquals(random.counts(), top.randomLike(11).counts());
            assertArrayEquals(random.modules().values().iterator().next().indices(),
                    top.randomLike(11).modules().values().iterator().next().indices(), "seeded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
    void scalingTouchesExactlyTheSetsEntries(String name) {
        try (LoadedModel lm = LoadedModel.open(fixture(name))) {
            TransformerModel model = lm.model();
            var scores = ImportanceScores.of(model, samples(model.config().vocabSize()));
            ParameterSet set = ParameterSet.topK(scores, 0.02);
            Map<String, float[]> before = new HashMap<>();
            model.linearModules().forEach(m -> before.put(m.name(), model.parameters().get(m.weight()).toFloatArray()));
            assertEquals(set.count(), Intervention.scale(model, set, 0f));
            for (LinearModule m : model.linearModules()) {
                float[] was = before.get(m.name());
                float[] now = model.parameters().get(m.weight()).toFloatArray();
                java.util.Set<Integer> chosen = new java.util.HashSet<>();
                for (int flat : set.modules().get(m.name()).indices()) {
                    int o = flat / m.inFeatures();
                    int i = flat % m.inFeatures();
                    chosen.add(m.storedInByOut() ? i * m.outFeatures() + o : flat);
                }
                for (int k = 0; k < was.length; k++) {
                    if (chosen.contains(k)) {
                        assertEquals(0f, now[k], 0f, m.name() + " entry " + k + " is pruned");
                    } else {
                        assertEquals(Float.floatToIntBits(was[k]), Float.floatToIntBits(now[k]), m.name() + " entry " + k);
                    }
                }
                // The pruned entries are the module's largest scores: none left outside the set scores higher.
                float[] s = scores.get(m.name()).scores();
                float lowestChosen = Float.POSITIVE_INFINITY;
                float highestOther = Float.NEGATIVE_INFINITY;
                java.util.Set<Integer> flatChosen = new java.util.HashSet<>();
                for (int flat : set.modules().get(m.name()).indices()) {
                    flatChosen.add(flat);
                    lowestChosen = Math.min(lowestChosen, s[flat]);
                }
                for (int k = 0; k < s.length; k++) {
                    if (!flatChosen.contains(k)) {
                        highestOther = Math.max(highestOther, s[k]);
                    }
                }
                assertTrue(flatChosen.isEmpty() || lowestChosen >= highestOther, m.name());
            }
        }
    }
}
