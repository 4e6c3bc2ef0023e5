package dev.scalpel.core.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import dev.scalpel.core.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stream against the oracle of each text run alone, on real (tiny, random-weight) checkpoints. */
class ActivationStreamTest {
    private static final String HOOK = "blocks.1.hook_resid_post";
    private static final List<long[]> ROWS = List.of(new long[] {5, 17, 42}, new long[] {7, 3, 9, 11, 13, 2},
            new long[] {4}, new long[] {8, 8, 1, 6}, new long[] {30, 31, 32, 33, 34, 35});

    /** The hook's activations of one text alone, in a plain forward pass: [length * d]. */
    private static float[] alone(TransformerModel model, TokenizedText t) {
        try (NDManager m = NDManager.newBaseManager()) {
            Hooks h = Hooks.caching(m, List.of(HOOK));
            ForwardRequest r = ForwardRequest.of(m.create(t.ids()).reshape(1, t.length()));
            if (!model.config().causal()) {
                r = r.withTokenTypeIds(m.create(t.typeIds()).reshape(1, t.length()));
            }
            model.forward(r, h, m);
            return h.cache().get(HOOK).toFloatArray();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "bert-tiny"})
    void everyItemGetsWhatItGetsAloneLongestFirstAndNothingOutlivesItsCallback(String fixture) {
        try (NDManager weights = NDManager.newBaseManager();
             TransformerModel model = Models.load(Fixtures.model(fixture), weights)) {
            List<TokenizedText> items = ROWS.stream().map(TokenizedText::of).toList();
            int d = model.config().hiddenSize();
            float[][] got = new float[items.size()][];
            List<int[]> batches = new ArrayList<>();
            List<int[]> progress = new ArrayList<>();
            List<NDArray> seen = new ArrayList<>();
            ActivationStream.of(model, List.of(HOOK)).lastPositionOnly().forEachBatch(items,
                    new ActivationStream.Batching(2, true), TokenBatch::ofTexts,
                    (done, total) -> progress.add(new int[] {done, total}), (batch, pass) -> {
                        batches.add(batch);
                        NDArray a = pass.at(HOOK);
                        seen.add(a);
                        float[] flat = a.toFloatArray();
                        int length = pass.tokens().length();
                        for (int r = 0; r < batch.length; r++) {
                            int n = items.get(batch[r]).length();
                            got[batch[r]] = Arrays.copyOfRange(flat, r * length * d, (r * length + n) * d);
                        }
                    });
            // Longest first, ties in list order: [1, 4] (6 tokens), [3, 0] (4, 3), [2] (1).
            assertArrayEquals(new int[] {1, 4}, batches.get(0));
            assertArrayEquals(new int[] {3, 0}, batches.get(1));
            assertArrayEquals(new int[] {2}, batches.get(2));
            assertArrayEquals(new int[] {5, 5}, progress.getLast());
            assertEquals(3, progress.size());
            for (NDArray a : seen) {
                assertTrue(a.isReleased(), "a pass's activations are closed once its callback returns");
            }
            for (int i = 0; i < items.size(); i++) {
                float[] want = alone(model, items.get(i));
                float scale = 0;
                float err = 0;
                for (int j = 0; j < want.length; j++) {
                    scale = Math.max(scale, Math.abs(want[j]));
                    err = Math.max(err, Math.abs(want[j] - got[i][j]));
                }
                // Batched and alone take other kernels (padded shapes): equal to float rounding, not bit for bit.
                assertTrue(err <= 1e-5f * Math.max(1f, scale), fixture + " item " + i + " differs from alone by " + err);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
    void aLeftPaddedBatchReadsEachRowAsAlone(String fixture) {
        try (NDManager weights = NDManager.newBaseManager();
             TransformerModel model = Models.load(Fixtures.model(fixture), weights)) {
            int d = model.config().hiddenSize();
            TokenBatch batch = TokenBatch.left(ROWS, 0);
            float[][] rows = ActivationStream.of(model, List.of(HOOK)).forward(batch, pass -> {
                float[] flat = pass.at(HOOK).toFloatArray();
                float[][] out = new float[batch.size()][];
                for (int r = 0; r < batch.size(); r++) {
                    int from = (r * batch.length() + batch.offset(r)) * d;
                    out[r] = Arrays.copyOfRange(flat, from, from + batch.length(r) * d);
                }
                return out;
            });
            for (int r = 0; r < ROWS.size(); r++) {
                float[] want = alone(model, TokenizedText.of(ROWS.get(r)));
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], rows[r][j], 1e-5f * Math.max(1f, Math.abs(want[j])), fixture + " row " + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny"})
    void namesAnUnknownHookAndAHookWithoutOneVectorPerToken(String fixture) {
        try (NDManager weights = NDManager.newBaseManager();
             TransformerModel model = Models.load(Fixtures.model(fixture), weights)) {
            ScalpelException unknown = assertThrows(ScalpelException.class,
                    () -> ActivationStream.of(model, List.of("blocks.9.hook_resid_post")));
            assertTrue(unknown.getMessage().contains("unknown hook point 'blocks.9.hook_resid_post'"), unknown.getMessage());
            ActivationStream pattern = ActivationStream.of(model, List.of("blocks.0.attn.hook_pattern"));
            ScalpelException shape = assertThrows(ScalpelException.class, () -> pattern.forward(TokenBatch.right(ROWS, 0),
                    pass -> pass.at("blocks.0.attn.hook_pattern")));
            assertTrue(shape.getMessage().contains("[batch, tokens, d]"), shape.getMessage());
        }
    }
}
