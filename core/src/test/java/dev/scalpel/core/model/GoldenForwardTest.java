package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every architecture reproduces the logits and hidden states transformers computed for its fixture. */
class GoldenForwardTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt2-tiny, 1e-4", "llama-tiny, 1e-4", "qwen2-tiny, 1e-4", "qwen2-tiny-bf16, 1e-3",
                "gemma2-tiny, 1e-3", "mistral-tiny, 1e-4", "gpt-neox-tiny, 1e-4", "gpt-neox-tiny-sequential, 1e-4"})
    void logitsAndHiddenStatesMatchTransformers(String fixture, double tolerance) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            int layers = model.config().numLayers();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                names.add("blocks." + i + ".hook_resid_pre");
                names.add("blocks." + i + ".hook_resid_post");
            }
            names.add("ln_final.hook_normalized");
            Hooks hooks = Hooks.caching(m, names);
            ForwardResult out = model.forward(ForwardRequest.of(ids), hooks, m);

            NDArray golden = Fixtures.golden(m, fixture, "logits");
            float scale = Math.max(1f, golden.abs().max().getFloat());
            float err = Fixtures.maxAbsDiff(out.logits(), golden);
            assertTrue(err <= tolerance * scale, fixture + " logits differ by " + err);

            assertClose(hooks.cache().get("blocks.0.hook_resid_pre"), Fixtures.golden(m, fixture, "hidden_states.0"), tolerance, "embeddings");
            for (int i = 0; i < layers - 1; i++) {
                assertClose(hooks.cache().get("blocks." + i + ".hook_resid_post"),
                        Fixtures.golden(m, fixture, "hidden_states." + (i + 1)), tolerance, "resid_post " + i);
            }
            NDArray last = Fixtures.golden(m, fixture, "hidden_states." + layers);
            assertClose(hooks.cache().get("ln_final.hook_normalized"), last, tolerance, "final norm");
            assertClose(out.hidden(), last, tolerance, "hidden output");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt2-tiny, 1e-4", "llama-tiny, 1e-4", "qwen2-tiny, 1e-4", "qwen2-tiny-bf16, 1e-3",
                "gemma2-tiny, 1e-3", "mistral-tiny, 1e-4", "gpt-neox-tiny, 1e-4", "gpt-neox-tiny-sequential, 1e-4"})
    void leftPaddedBatchMatchesTransformers(String fixture, double tolerance) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            NDArray mask = Fixtures.golden(m, fixture, "padded.attention_mask");
            NDArray golden = Fixtures.golden(m, fixture, "padded.logits");
            // transformers' forward numbers positions 0..S-1 whatever the padding (generate does not); say so explicitly.
            long seq = ids.getShape().get(1);
            NDArray positions = m.arange(0L, seq).reshape(1, seq).repeat(0, 2);
            ForwardResult out = model.forward(ForwardRequest.of(ids).withAttentionMask(mask).withPositionIds(positions), m);
            // Positions that are padding produce values nobody reads; compare where the mask is 1.
            long[] maskValues = mask.toLongArray();
            float scale = Math.max(1f, golden.abs().max().getFloat());
            for (int b = 0; b < 2; b++) {
                for (int s = 0; s < seq; s++) {
                    if (maskValues[(int) (b * seq + s)] == 0) {
                        continue;
                    }
                    float err = Fixtures.maxAbsDiff(out.logits().get(b, s), golden.get(b, s));
                    assertTrue(err <= tolerance * scale, fixture + " padded logits at (" + b + "," + s + ") differ by " + err);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt2-tiny", "llama-tiny", "qwen2-tiny", "gemma2-tiny", "mistral-tiny", "bert-tiny", "gpt-neox-tiny"})
    void leftPaddingLeavesEachSequenceUnchanged(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            long[] shortRow = {5, 17, 42};
            long[] longRow = {7, 3, 9, 11, 13, 2};
            NDArray alone = model.forward(ForwardRequest.of(m.create(shortRow).reshape(1, 3)), m).logits();
            NDArray batch = m.create(new long[] {0, 0, 0, 5, 17, 42, 7, 3, 9, 11, 13, 2}).reshape(2, 6);
            NDArray mask = m.create(new long[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1}).reshape(2, 6);
            if (!model.config().causal()) {
                // encoders pad on the right
                batch = m.create(new long[] {5, 17, 42, 0, 0, 0, 7, 3, 9, 11, 13, 2}).reshape(2, 6);
                mask = m.create(new long[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}).reshape(2, 6);
            }
            NDArray padded = model.forward(ForwardRequest.of(batch).withAttentionMask(mask), m).logits();
            NDArray realPart = model.config().causal() ? padded.get("0, 3:") : padded.get("0, :3");
            assertClose(realPart, alone.get(0), 1e-5, fixture + " padded row");
            NDArray longAlone = model.forward(ForwardRequest.of(m.create(longRow).reshape(1, 6)), m).logits();
            assertClose(padded.get(1), longAlone.get(0), 1e-5, fixture + " unpadded row");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama-tiny", "qwen2-tiny", "gemma2-tiny", "mistral-tiny"})
    void rotaryFrequenciesMatchTransformers(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            float[] golden = Fixtures.golden(m, fixture, "rotary.inv_freq").toFloatArray();
            assertArrayEquals(golden, ((LlamaModel) model).inverseFrequencies(), 1e-7f * golden[0]);
        }
    }

    @org.junit.jupiter.api.Test
    void bertMatchesTransformersWithPaddingAndTokenTypes() {
        String fixture = "bert-tiny";
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            NDArray mask = Fixtures.golden(m, fixture, "attention_mask");
            NDArray types = Fixtures.golden(m, fixture, "token_type_ids");
            List<String> names = new ArrayList<>(List.of("embed.ln.hook_normalized"));
            for (int i = 0; i < model.config().numLayers(); i++) {
                names.add("blocks." + i + ".hook_normalized_resid_post");
            }
            Hooks hooks = Hooks.caching(m, names);
            ForwardResult out = model.forward(ForwardRequest.of(ids).withAttentionMask(mask).withTokenTypeIds(types), hooks, m);
            assertClose(out.logits(), Fixtures.golden(m, fixture, "logits"), 1e-4, "logits");
            assertClose(hooks.cache().get("embed.ln.hook_normalized"), Fixtures.golden(m, fixture, "hidden_states.0"), 1e-4, "embeddings");
            for (int i = 0; i < model.config().numLayers(); i++) {
                assertClose(hooks.cache().get("blocks." + i + ".hook_normalized_resid_post"),
                        Fixtures.golden(m, fixture, "hidden_states." + (i + 1)), 1e-4, "layer " + i);
            }
            assertEquals(Architecture.BERT, model.architecture());
        }
    }

    static void assertClose(NDArray actual, NDArray expected, double tolerance, String what) {
        float scale = Math.max(1f, expected.abs().max().getFloat());
        float err = Fixtures.maxAbsDiff(actual, expected);
        assertTrue(err <= tolerance * scale, what + " differs by " + err + " (tolerance " + tolerance * scale + ")");
    }
}
