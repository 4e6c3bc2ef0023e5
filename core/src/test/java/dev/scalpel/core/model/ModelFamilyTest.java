package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each family's declarations hold for checkpoints transformers wrote: the layout is exactly the checkpoint's
 * parameters, and every linear module's output hooks hold {@code x W^T + b} of its input hook.
 */
class ModelFamilyTest {
    /** Matrices outside the blocks: embeddings and heads. */
    private static final Pattern NOT_IN_BLOCKS = Pattern.compile("embed|\\.wte\\.|\\.wpe\\.|^lm_head\\.|^cls\\.");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "mistral-tiny", "qwen2-tiny", "gemma2-tiny", "bert-tiny",
        "gpt-neox-tiny", "gpt-neox-tiny-sequential"})
    void theLayoutIsTheCheckpointsParameters(String fixture) {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), nd)) {
            Map<String, ParameterLayout.Entry> layout = ParameterLayout.of(model.config());
            Set<String> loaded = new HashSet<>(model.parameters().names());
            assertEquals(layout.keySet(), loaded, "laid out vs stored");
            for (var e : layout.entrySet()) {
                assertEquals(new Shape(e.getValue().shape()), model.parameters().get(e.getKey()).getShape(), e.getKey());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "mistral-tiny", "qwen2-tiny", "gemma2-tiny", "bert-tiny",
        "gpt-neox-tiny", "gpt-neox-tiny-sequential"})
    void everyLinearModuleTurnsItsInputHookIntoItsOutputHooks(String fixture) {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), nd)) {
            List<LinearModule> modules = model.linearModules();
            assertFalse(modules.isEmpty());
            List<String> names = new ArrayList<>();
            for (LinearModule m : modules) {
                names.add(m.inputHook());
                names.addAll(m.outputHooks());
            }
            List<String> points = model.hookPoints();
            for (LinearModule m : modules) {
                for (String out : m.outputHooks()) {
                    assertTrue(points.indexOf(m.inputHook()) >= 0 && points.indexOf(m.inputHook()) < points.indexOf(out),
                            m.name() + ": input hook " + m.inputHook() + " comes before output hook " + out);
                }
            }
            Hooks hooks = Hooks.caching(nd, names.stream().distinct().toList());
            long[] ids = {1, 5, 9, 3, 7, 2, 8, 4, 6, 1};
            model.forward(ForwardRequest.of(nd.create(ids).reshape(2, 5)), hooks, nd);
            for (LinearModule m : modules) {
                NDArray x = hooks.cache().get(m.inputHook()).reshape(10, m.inFeatures());
                NDArray w = model.parameters().get(m.weight());
                NDArray wOutIn = m.storedInByOut() ? w.transpose() : w;
                assertEquals(new Shape(m.outFeatures(), m.inFeatures()), wOutIn.getShape(), m.name() + " weight shape");
                NDArray expected = x.matMul(wOutIn.transpose());
                if (m.bias() != null) {
                    expected = expected.add(model.parameters().get(m.bias()));
                }
                NDList parts = new NDList();
                for (String out : m.outputHooks()) {
                    NDArray o = hooks.cache().get(out);
                    parts.add(o.reshape(10, o.getShape().size() / 10));
                }
                NDArray actual = parts.size() == 1 ? parts.getFirst() : NDArrays.concat(parts, 1);
                float scale = 1 + expected.abs().max().getFloat();
                // The model's own projection ran on other shapes (batched, fused): equal up to float32 rounding.
                assertTrue(Fixtures.maxAbsDiff(actual, expected) <= 1e-5f * scale,
                        m.name() + ": " + m.outputHooks() + " differ from the projection of " + m.inputHook() + " by "
                                + Fixtures.maxAbsDiff(actual, expected));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "gemma2-tiny", "bert-tiny"})
    void everyMatrixInTheBlocksIsALinearModule(String fixture) {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), nd)) {
            Map<String, LinearModule> byWeight = new LinkedHashMap<>();
            for (LinearModule m : model.linearModules()) {
                assertTrue(byWeight.put(m.weight(), m) == null, m.weight() + " listed twice");
                assertTrue(model.parameters().contains(m.weight()), m.weight());
                assertTrue(m.bias() == null || model.parameters().contains(m.bias()), m.bias());
            }
            for (String name : model.parameters().names()) {
                if (model.parameters().get(name).getShape().dimension() == 2 && !NOT_IN_BLOCKS.matcher(name).find()) {
                    assertTrue(byWeight.containsKey(name), name + " is a block matrix but no linear module");
                }
            }
            long perLayer = byWeight.values().stream().filter(m -> m.layer() == 0).count();
            assertEquals(perLayer * model.config().numLayers(), byWeight.size(), "the same modules in every layer");
        }
    }
}
