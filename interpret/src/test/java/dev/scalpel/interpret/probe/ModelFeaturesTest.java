package dev.scalpel.interpret.probe;

import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.text.TokenizedText;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.EmbeddingTokenizer;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hidden-state and SAE features of batched, padded, length-sorted runs against each text run alone, unpadded, with
 * its hook activations pooled by plain loops.
 */
class ModelFeaturesTest {
    private static final Path FIXTURES = Path.of(System.getProperty("scalpel.fixtures",
            "../core/src/test/resources/fixtures"));
    private static final List<String> TEXTS = List.of("Win a free prize now", "Meeting notes for the team review",
            "ok", "A much longer text that will certainly be cut at the token budget of this test, no doubt at all",
            "Hello, world!");
    private static final String HOOK = "blocks.1.hook_resid_post";

    /** A random ReLU SAE whose biases make some latents fire and others not. */
    static SparseAutoencoder randomSae(int dIn, int dSae, long seed) {
        Random r = new Random(seed);
        NDManager m = NDManager.newBaseManager();
        float[] wEnc = new float[dIn * dSae];
        float[] wDec = new float[dSae * dIn];
        float[] bEnc = new float[dSae];
        float[] bDec = new float[dIn];
        for (int i = 0; i < wEnc.length; i++) {
            wEnc[i] = (float) r.nextGaussian();
            wDec[i] = (float) r.nextGaussian();
        }
        for (int j = 0; j < dSae; j++) {
            bEnc[j] = (float) r.nextGaussian();
        }
        for (int j = 0; j < dIn; j++) {
            bDec[j] = (float) (0.1 * r.nextGaussian());
        }
        return new SparseAutoencoder(SaeArchitecture.STANDARD, 0, true, SaeMetadata.unknown(), m,
                m.create(wEnc, new Shape(dIn, dSae)), m.create(wDec, new Shape(dSae, dIn)), m.create(bEnc),
                m.create(bDec), null);
    }

    /** The hook's [T, d] for one text run alone, without padding or mask. */
    private static float[][] alone(LoadedModel lm, TokenizedText t) {
        try (NDManager m = NDManager.newBaseManager()) {
            Hooks hooks = Hooks.caching(m, List.of(HOOK));
            ForwardRequest request = ForwardRequest.of(m.create(t.ids(), new Shape(1, t.length())));
            lm.model().forward(request, hooks, m).close();
            NDArray a = hooks.cache().get(HOOK);
            int d = (int) a.getShape().get(2);
            float[] flat = a.toFloatArray();
            float[][] rows = new float[t.length()][d];
            for (int i = 0; i < t.length(); i++) {
                System.arraycopy(flat, i * d, rows[i], 0, d);
            }
            return rows;
        }
    }

    private static float[][] encode(SparseAutoencoder sae, float[][] acts) {
        float[] flat = new float[acts.length * sae.dIn()];
        for (int i = 0; i < acts.length; i++) {
            System.arraycopy(acts[i], 0, flat, i * sae.dIn(), sae.dIn());
        }
        float[] f = sae.encode(sae.manager().create(flat, new Shape(acts.length, sae.dIn()))).toFloatArray();
        float[][] rows = new float[acts.length][sae.dSae()];
        for (int i = 0; i < acts.length; i++) {
            System.arraycopy(f, i * sae.dSae(), rows[i], 0, sae.dSae());
        }
        return rows;
    }

    @Test
    void gpt2LastTokenAndSaeSumsEqualSingleTextRuns() {
        try (LoadedModel lm = LoadedModel.open(FIXTURES.resolve("gpt2-tiny"));
             SparseAutoencoder sae = randomSae(16, 40, 1)) {
            TextTokenizer tokenizer = TextTokenizer.of(lm.requireTokenizer(), 12);
            List<int[]> progress = new ArrayList<>();
            HiddenStateFeatures hidden = new HiddenStateFeatures(TokenPooling.LAST, TEXTS.size());
            SaeFeatures saeSum = new SaeFeatures(sae, TokenPooling.SUM, null, TEXTS.size());
            new HookActivations(lm.model(), tokenizer, new HookActivations.Config(HOOK, 2, false))
                    .run(TEXTS, (done, total) -> progress.add(new int[] {done, total}), hidden, saeSum);
            assertArrayEquals(new int[] {5, 5}, progress.getLast());
            assertEquals(3, progress.size(), "batches of 2, 2 and 1");
            FeatureMatrix h = hidden.matrix();
            FeatureMatrix s = saeSum.matrix();
            assertEquals(16, h.columns());
            assertEquals(40, s.columns());
            for (int i = 0; i < TEXTS.size(); i++) {
                TokenizedText t = tokenizer.tokenize(TEXTS.get(i));
                assertTrue(t.length() <= 12);
                float[][] acts = alone(lm, t);
                assertArrayEquals(acts[t.length() - 1], h.dense(i), 1e-5f, "hidden state of text " + i);
                float[][] f = encode(sae, acts);
                float[] expected = new float[40];
                for (float[] token : f) {
                    for (int j = 0; j < 40; j++) {
                        expected[j] += token[j];
                    }
                }
                assertArrayEquals(expected, s.dense(i), 1e-4f, "SAE sum of text " + i);
            }
            assertEquals(12, tokenizer.tokenize(TEXTS.get(3)).length(), "the long text is truncated");
        }
    }

    @Test
    void bertWithoutItsSpecialTokenMeanAndTopNCountsEqualSingleTextRuns() {
        try (LoadedModel lm = LoadedModel.open(FIXTURES.resolve("bert-tiny"));
             SparseAutoencoder sae = randomSae(64, 50, 2)) {
            TextTokenizer tokenizer = TextTokenizer.of(lm.requireTokenizer(), 10);
            TokenizedText first = tokenizer.tokenize(TEXTS.getFirst());
            assertEquals(0L, first.ids()[0], "bert-tiny's template prepends <s> (id 0)");
            assertEquals(1, first.contentStart());
            assertEquals(first.length(), first.contentEnd());
            HiddenStateFeatures hidden = new HiddenStateFeatures(TokenPooling.MEAN, TEXTS.size());
            SaeFeatures top = new SaeFeatures(sae, TokenPooling.topNCount(5), Binarization.above(1.5f), TEXTS.size());
            SaeFeatures max = new SaeFeatures(sae, TokenPooling.MAX, null, TEXTS.size());
            new HookActivations(lm.model(), tokenizer, new HookActivations.Config(HOOK, 3, true))
                    .run(TEXTS, ActivationStream.Progress.NONE, hidden, top, max);
            for (int i = 0; i < TEXTS.size(); i++) {
                TokenizedText t = tokenizer.tokenize(TEXTS.get(i));
                float[][] acts = alone(lm, t);
                float[][] f = encode(sae, acts);
                float[] mean = new float[64];
                float[] topCounts = new float[50];
                float[] maxima = new float[50];
                java.util.Arrays.fill(maxima, Float.NEGATIVE_INFINITY);
                int counted = t.contentEnd() - t.contentStart();
                for (int k = t.contentStart(); k < t.contentEnd(); k++) {
                    for (int j = 0; j < 64; j++) {
                        mean[j] += acts[k][j] / counted;
                    }
                    float[] sorted = f[k].clone();
                    java.util.Arrays.sort(sorted);
                    for (int j = 0; j < 50; j++) {
                        topCounts[j] += f[k][j] >= sorted[50 - 5] && f[k][j] > 0 ? 1 : 0;
                        maxima[j] = Math.max(maxima[j], f[k][j]);
                    }
                }
                for (int j = 0; j < 50; j++) {
                    topCounts[j] = topCounts[j] > 1.5f ? 1 : 0;   // binarized: in the top 5 of two tokens or more
                }
                assertArrayEquals(mean, hidden.matrix().dense(i), 1e-4f, "mean hidden state of text " + i);
                assertArrayEquals(topCounts, top.matrix().dense(i), 0f, "binarized top-5 counts of text " + i);
                assertArrayEquals(maxima, max.matrix().dense(i), 1e-4f, "SAE max of text " + i);
            }
            float[] anyOn = new float[50];
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] row = top.matrix().dense(i);
                for (int j = 0; j < 50; j++) {
                    anyOn[j] += row[j];
                }
            }
            float total = 0;
            for (float v : anyOn) {
                total += v;
            }
            assertTrue(total > 0, "the binarized counts are not all zero (the comparison above means something)");
        }
    }

    @Test
    void hooksThatDoNotGiveOneVectorPerTokenAreRefused() {
        try (LoadedModel lm = LoadedModel.open(FIXTURES.resolve("gpt2-tiny"))) {
            TextTokenizer tokenizer = TextTokenizer.of(lm.requireTokenizer(), 8);
            ScalpelException unknown = assertThrows(ScalpelException.class, () -> new HookActivations(lm.model(),
                    tokenizer, new HookActivations.Config("blocks.9.hook_resid_post", 2, false)));
            assertTrue(unknown.getMessage().contains("unknown hook point 'blocks.9.hook_resid_post'"), unknown.getMessage());
            HookActivations run = new HookActivations(lm.model(), tokenizer,
                    new HookActivations.Config("blocks.0.attn.hook_pattern", 2, false));
            HiddenStateFeatures h = new HiddenStateFeatures(TokenPooling.LAST, 1);
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> run.run(List.of("hi"), ActivationStream.Progress.NONE, h));
            assertTrue(e.getMessage().contains("[batch, tokens, d]"), e.getMessage());
        }
    }

    @Test
    void miniLmTokenizerMarksClsAndSepAndSurvivesEmptyTexts() throws Exception {
        byte[] json;
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
            json = in.readAllBytes();
        }
        try (EmbeddingTokenizer et = EmbeddingTokenizer.fromJson(json, "minilm", 6)) {
            TextTokenizer tokenizer = TextTokenizer.of(et);
            TokenizedText t = tokenizer.tokenize("hello world");
            assertArrayEquals(new long[] {101, 7592, 2088, 102}, t.ids());
            assertEquals(1, t.contentStart());
            assertEquals(3, t.contentEnd());
            TokenizedText longer = tokenizer.tokenize("one two three four five six seven");
            assertEquals(6, longer.length());
            assertEquals(102L, longer.ids()[5]);
            TokenizedText empty = tokenizer.tokenize("  ");
            assertArrayEquals(new long[] {101, 102}, empty.ids());
            assertFalse(empty.hasContent());
        }
    }

    @Test
    void truncationKeepsSpecialTokensOnBothSides() {
        TokenizedText t = TextTokenizer.truncate(new long[] {7, 1, 2, 3, 4, 8}, new long[] {1, 2, 3, 4}, 4);
        assertArrayEquals(new long[] {7, 1, 2, 8}, t.ids());
        assertEquals(1, t.contentStart());
        assertEquals(3, t.contentEnd());
        TokenizedText none = TextTokenizer.truncate(new long[] {1, 2, 3}, new long[] {1, 2, 3}, 2);
        assertArrayEquals(new long[] {1, 2}, none.ids());
        assertEquals(0, none.contentStart());
        assertThrows(IllegalArgumentException.class, () -> TextTokenizer.truncate(new long[] {7, 1, 8}, new long[] {1}, 2));
    }
}
