package dev.scalpel.interpret.harvest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.embed.SentenceEmbedder;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.ForwardRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Harvested rows against direct forward passes with a caching hook, on a causal LM and an encoder. */
class HarvestTest {
    static final List<String> TEXTS = List.of("The cat sat on the mat.", "Paris is the capital of France",
            "One two three four five six seven eight nine ten", "Hi", "A longer sentence about sparse autoencoders.");
    static final String HOOK = "blocks.1.hook_resid_post";

    static LoadedModel gpt2;
    static LoadedModel bert;

    @TempDir
    Path dir;

    static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    @BeforeAll
    static void load() {
        gpt2 = LoadedModel.open(fixture("gpt2-tiny"));
        bert = LoadedModel.open(fixture("bert-tiny"));
    }

    @AfterAll
    static void close() {
        gpt2.close();
        bert.close();
    }

    /** The activation at the hook for one sequence, run alone: [Q][d]. */
    static float[][] direct(LoadedModel m, long[] ids, String hook) {
        try (NDManager nd = NDManager.newBaseManager()) {
            Hooks hooks = Hooks.caching(nd, List.of(hook));
            m.model().forward(ForwardRequest.of(nd.create(ids, new Shape(1, ids.length))), hooks, nd).close();
            NDArray a = hooks.cache().get(hook);
            int d = (int) a.getShape().get(2);
            float[] flat = a.toFloatArray();
            float[][] rows = new float[ids.length][];
            for (int p = 0; p < ids.length; p++) {
                rows[p] = Arrays.copyOfRange(flat, p * d, (p + 1) * d);
            }
            return rows;
        }
    }

    static float[] row(ActivationShards s, long i) {
        float[] r = new float[s.dimension()];
        s.copyRow(i, r, 0);
        return r;
    }

    // Tolerance 0 where it is structural: the harvester runs each text alone (batch size 1, no padding, so no mask),
    // exactly the direct forward's computation, and reads the hook before anything differs (only the logits are cut to
    // the last position). Batched rows differ in the last bits (other shapes, other kernels) and get 1e-5.
    @Test
    void tokenRowsEqualADirectForwardExactlyAndLeaveOutBos() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        assertEquals(50256, tokens.bosId(), "GPT-2's tokenizer adds no BOS; config.json's is prepended");
        assertTrue(tokens.prependsBos() && tokens.startsWithBos());
        HarvestConfig config = HarvestConfig.tokens(HOOK).withBatchSize(1).withShardRows(10);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config).run(TEXTS, dir, HarvestProgress.NONE);
        try (ActivationShards shards = ActivationShards.open(dir)) {
            assertEquals(16, shards.dimension());
            long[] textIndex = shards.textIndex();
            long row = 0;
            for (int t = 0; t < TEXTS.size(); t++) {
                long[] ids = tokens.tokenize(TEXTS.get(t), 64).ids();
                assertEquals(50256, ids[0]);
                float[][] expected = direct(gpt2, ids, HOOK);
                for (int p = 1; p < ids.length; p++) {   // position 0 is BOS, left out
                    assertEquals(t, textIndex[(int) row]);
                    assertArrayEquals(expected[p], row(shards, row), 0f, "text " + t + " position " + p);
                    row++;
                }
            }
            assertEquals(row, shards.rowCount(), "one row per non-BOS token, nothing else");
        }
    }

    @Test
    void keepingBosAddsPositionZero() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        HarvestConfig config = HarvestConfig.tokens(HOOK).withBatchSize(1).withBos(true, false);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config).run(TEXTS.subList(0, 2), dir,
                HarvestProgress.NONE);
        try (ActivationShards shards = ActivationShards.open(dir)) {
            long[] ids = tokens.tokenize(TEXTS.get(0), 64).ids();
            assertEquals(0, shards.shardPositions(0)[0]);
            assertArrayEquals(direct(gpt2, ids, HOOK)[0], row(shards, 0), 0f);
            assertEquals(ids.length + tokens.tokenize(TEXTS.get(1), 64).length(), shards.rowCount());
        }
    }

    @Test
    void batchedRowsMatchSingleTextRows() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        HarvestConfig config = HarvestConfig.tokens(HOOK).withBatchSize(3);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config).run(TEXTS, dir, HarvestProgress.NONE);
        try (ActivationShards shards = ActivationShards.open(dir)) {
            long row = 0;
            for (String text : TEXTS) {
                long[] ids = tokens.tokenize(text, 64).ids();
                float[][] expected = direct(gpt2, ids, HOOK);
                for (int p = 1; p < ids.length; p++) {
                    assertArrayEquals(expected[p], row(shards, row++), 1e-5f, "right padding must not leak into rows");
                }
            }
        }
    }

    @Test
    void pooledRowsAreTheMeanAndTheLastOfTheTokenRows() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        HarvestConfig base = HarvestConfig.tokens(HOOK).withBatchSize(2);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", base).run(TEXTS, dir.resolve("tokens"),
                HarvestProgress.NONE);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", base.withMode(HarvestMode.MEAN))
                .run(TEXTS, dir.resolve("mean"), HarvestProgress.NONE);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", base.withMode(HarvestMode.LAST))
                .run(TEXTS, dir.resolve("last"), HarvestProgress.NONE);
        try (ActivationShards tok = ActivationShards.open(dir.resolve("tokens"));
             ActivationShards mean = ActivationShards.open(dir.resolve("mean"));
             ActivationShards last = ActivationShards.open(dir.resolve("last"))) {
            assertEquals(TEXTS.size(), mean.rowCount());
            assertEquals(TEXTS.size(), last.rowCount());
            long[] textIndex = tok.textIndex();
            int d = tok.dimension();
            for (int t = 0; t < TEXTS.size(); t++) {
                double[] sum = new double[d];
                int n = 0;
                float[] lastRow = null;
                for (int r = 0; r < textIndex.length; r++) {
                    if (textIndex[r] == t) {
                        lastRow = row(tok, r);
                        for (int j = 0; j < d; j++) {
                            sum[j] += lastRow[j];
                        }
                        n++;
                    }
                }
                float[] expected = new float[d];
                for (int j = 0; j < d; j++) {
                    expected[j] = (float) (sum[j] / n);
                }
                assertArrayEquals(expected, row(mean, t), 1e-6f, "text " + t);
                // Structural: LAST and TOKENS run the same batches; LAST only keeps another row.
                assertArrayEquals(lastRow, row(last, t), 0f, "text " + t);
                assertEquals(-1, mean.shardPositions(0)[t]);
            }
        }
    }

    @Test
    void encoderRowsLeaveOutItsLeadingSpecialToken() {
        TokenSource tokens = TokenSource.of(bert, true);
        long[] probe = bert.requireTokenizer().encode("hello", true);
        assertEquals(probe[0], tokens.bosId(), "the tokenizer's leading special token is the BOS");
        assertTrue(!tokens.prependsBos() && tokens.startsWithBos(), "bert-tiny's tokenizer adds <s> itself");
        String hook = "blocks.0.hook_normalized_resid_post";
        HarvestConfig config = HarvestConfig.tokens(hook).withBatchSize(1);
        new ActivationHarvester(bert.model(), tokens, "bert-tiny", config).run(TEXTS, dir, HarvestProgress.NONE);
        try (ActivationShards shards = ActivationShards.open(dir)) {
            assertEquals(64, shards.dimension());
            long row = 0;
            for (String text : TEXTS) {
                long[] ids = tokens.tokenize(text, 64).ids();
                float[][] expected = direct(bert, ids, hook);
                for (int p = 0; p < ids.length; p++) {
                    if (ids[p] != tokens.bosId()) {
                        assertArrayEquals(expected[p], row(shards, row++), 0f);
                    }
                }
            }
            assertEquals(row, shards.rowCount());
        }
    }

    @Test
    void aModelRebuiltUnderTheSameNameDoesNotResumeItsPredecessorsHarvest() {
        try (LoadedModel llama = LoadedModel.open(fixture("llama-tiny"))) {
            TokenSource tokens = TokenSource.of(llama, true);
            HarvestConfig config = HarvestConfig.tokens("blocks.0.hook_mlp_out").withBatchSize(1);
            new ActivationHarvester(llama.model(), tokens, "llama-tiny", config).run(TEXTS, dir, HarvestProgress.NONE);
            var weight = llama.model().parameters().asMap().values().iterator().next();
            weight.muli(1.01f);   // the same name, other weights
            var e = assertThrows(ScalpelException.class, () -> new ActivationHarvester(llama.model(), tokens,
                    "llama-tiny", config).run(TEXTS, dir, HarvestProgress.NONE));
            assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("weights (saved"), e.getMessage());
        }
    }

    @Test
    void llamaTokenizerAddsItsOwnBosWhichIsLeftOut() {
        try (LoadedModel llama = LoadedModel.open(fixture("llama-tiny"))) {
            TokenSource tokens = TokenSource.of(llama, true);
            assertEquals(0, tokens.bosId(), "<s> is id 0 in llama-tiny's vocabulary");
            assertTrue(!tokens.prependsBos() && tokens.startsWithBos());
            long[] ids = tokens.tokenize(TEXTS.get(1), 64).ids();
            assertEquals(1, java.util.stream.LongStream.of(ids).filter(id -> id == 0).count(), "one BOS, not two");
            HarvestConfig config = HarvestConfig.tokens("blocks.0.hook_mlp_out").withBatchSize(1);
            new ActivationHarvester(llama.model(), tokens, "llama-tiny", config).run(TEXTS.subList(1, 2), dir,
                    HarvestProgress.NONE);
            try (ActivationShards shards = ActivationShards.open(dir)) {
                float[][] expected = direct(llama, ids, "blocks.0.hook_mlp_out");
                assertEquals(ids.length - 1, shards.rowCount());
                for (int p = 1; p < ids.length; p++) {
                    assertArrayEquals(expected[p], row(shards, p - 1), 0f);
                }
            }
        }
    }

    /** Mean-pooled rows of MiniLM's last layer, with [CLS] and [SEP] kept, are its sentence embeddings before L2. */
    @Test
    void pooledMiniLmRowsAreItsSentenceEmbeddings() {
        List<String> texts = TEXTS.subList(0, 3);
        try (SentenceEmbedder minilm = MiniLm.load()) {
            TokenSource tokens = TokenSource.of(minilm.tokenizer());
            HarvestConfig config = HarvestConfig.tokens("blocks.5.hook_normalized_resid_post").withBos(true, false)
                    .withMode(HarvestMode.MEAN).withBatchSize(2);
            new ActivationHarvester(minilm.model(), tokens, "minilm", config).run(texts, dir, HarvestProgress.NONE);
            List<float[]> embeddings = minilm.embedAll(texts);
            try (ActivationShards shards = ActivationShards.open(dir)) {
                assertEquals(384, shards.dimension());
                for (int t = 0; t < texts.size(); t++) {
                    float[] r = row(shards, t);
                    double norm = 0;
                    for (float v : r) {
                        norm += v * v;
                    }
                    for (int j = 0; j < r.length; j++) {
                        assertEquals(embeddings.get(t)[j], r[j] / Math.sqrt(norm), 1e-5, "text " + t + " dim " + j);
                    }
                }
            }
        }
    }

    @Test
    void contextSizeCutsTextsAndShardsReadBackEveryWay() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        HarvestConfig config = HarvestConfig.tokens(HOOK).withContextSize(4).withShardRows(5).withBatchSize(2);
        HarvestManifest m = new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config).run(TEXTS, dir,
                HarvestProgress.NONE);
        long expectedRows = TEXTS.stream().mapToLong(t -> Math.min(4, tokens.tokenize(t, 64).length()) - 1).sum();
        assertEquals(expectedRows, m.rows());
        assertEquals((expectedRows + 4) / 5, m.shards().size());
        assertTrue(m.shards().subList(0, m.shards().size() - 1).stream().allMatch(s -> s.rows() == 5));
        try (ActivationShards shards = ActivationShards.open(dir); NDManager nd = NDManager.newBaseManager()) {
            NDArray all = shards.loadAll(nd);
            assertEquals(new Shape(expectedRows, 16), all.getShape());
            float[] flat = all.toFloatArray();
            for (long r = 0; r < expectedRows; r++) {
                assertArrayEquals(Arrays.copyOfRange(flat, (int) r * 16, (int) r * 16 + 16), row(shards, r), 0f);
            }
            float[] sample = shards.sample(50, new SplittableRandom(1));
            assertEquals(50 * 16, sample.length);
            for (long p : shards.shardPositions(0)) {
                assertTrue(p >= 1 && p <= 3, "positions 1..3 survive a context of 4 with BOS left out");
            }
        }
    }

    @Test
    void halfPrecisionShardsRoundTheSameRows() {
        TokenSource tokens = TokenSource.of(gpt2, true);
        HarvestConfig config = HarvestConfig.tokens(HOOK).withBatchSize(2);
        new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config).run(TEXTS, dir.resolve("f32"),
                HarvestProgress.NONE);
        for (DType type : List.of(DType.F16, DType.BF16)) {
            new ActivationHarvester(gpt2.model(), tokens, "gpt2-tiny", config.withDtype(type)).run(TEXTS,
                    dir.resolve(type.name()), HarvestProgress.NONE);
            try (ActivationShards exact = ActivationShards.open(dir.resolve("f32"));
                 ActivationShards half = ActivationShards.open(dir.resolve(type.name()))) {
                float tolerance = type == DType.F16 ? 2e-3f : 2e-2f;
                for (long r = 0; r < exact.rowCount(); r++) {
                    float[] a = row(exact, r);
                    float[] b = row(half, r);
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(a[j], b[j], tolerance * Math.max(1f, Math.abs(a[j])), type + " row " + r);
                    }
                }
                float[] firstRow = java.util.Arrays.copyOf(half.shardRows(0), half.dimension());
                assertArrayEquals(firstRow, row(half, 0), 0f, "row reads convert as the safetensors reader does");
            }
        }
    }
}
