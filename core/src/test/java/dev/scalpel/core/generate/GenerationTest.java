package dev.scalpel.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import dev.scalpel.core.text.Tokenizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding reproduces transformers' generate, with and without the cache, alone and in padded batches. */
class GenerationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "gemma2-tiny", "mistral-tiny",
        "gpt-neox-tiny"})
    void greedyOutputEqualsTransformersTokenForToken(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            long[] prompt = Fixtures.golden(m, fixture, "generate.prompt").toLongArray();
            long[] expected = Fixtures.golden(m, fixture, "generate.output").toLongArray();
            Generator g = new Generator(model, null, 0);
            for (boolean cache : new boolean[] {true, false}) {
                Generation out = g.generate(GenerationRequest.greedy(prompt, expected.length - prompt.length).withCache(cache));
                assertArrayEquals(expected, out.sequences().get(0), fixture + (cache ? " with" : " without") + " cache");
                assertEquals(Generation.StopReason.LENGTH, out.reasons().get(0));
            }
        }
    }

    @Test
    void gpt2RealTextContinuationEqualsTransformers() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(Fixtures.model("gpt2-tiny").resolve("golden_text_generate.json").toFile());
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), m);
             Tokenizer tok = Tokenizer.load(Fixtures.model("gpt2-tiny"))) {
            long[] prompt = tok.encode(golden.get("prompt").asText());
            assertArrayEquals(ids(golden.get("prompt_ids")), prompt);
            long[] expected = ids(golden.get("output_ids"));
            Generation out = new Generator(model, tok, 50256)
                    .generate(GenerationRequest.greedy(prompt, expected.length - prompt.length));
            assertArrayEquals(expected, out.sequences().get(0));
            assertEquals(golden.get("output_text").asText(), tok.decode(out.sequences().get(0)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "gemma2-tiny"})
    void leftPaddedBatchEqualsTransformersBatchedGenerate(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m);
             SafetensorsFile f = SafetensorsFile.open(Fixtures.model("gpt2-tiny").resolveSibling("generate").resolve("batched_generate.safetensors"))) {
            long[] ids = f.toLongs(fixture + ".input_ids");       // [2, 6], row 0 left-padded by 3
            long[] out = f.toLongs(fixture + ".output");          // [2, 14]
            long[] shortPrompt = Arrays.copyOfRange(ids, 3, 6);
            long[] longPrompt = Arrays.copyOfRange(ids, 6, 12);
            Generation g = new Generator(model, null, 0).generate(new GenerationRequest(List.of(shortPrompt, longPrompt), 8,
                    Sampling.greedyDecoding(), Set.of(), List.of(), true));
            assertArrayEquals(Arrays.copyOfRange(out, 3, 14), g.sequences().get(0), fixture + " padded row");
            assertArrayEquals(Arrays.copyOfRange(out, 14, 28), g.sequences().get(1), fixture + " full row");
        }
    }

    @Test
    void batchedSamplingGivesEachRowWhatItGetsAlone() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            Generator g = new Generator(model, null, 2);
            long[] a = {0, 5, 9};
            long[] b = {0, 7, 11, 13, 4, 8};
            Sampling s = Sampling.sample(0.9, 40, 0.95, 11);
            Generation both = g.generate(new GenerationRequest(List.of(a, b), 12, s, Set.of(), List.of(), true));
            Generation alone = g.generate(new GenerationRequest(List.of(a), 12, s, Set.of(), List.of(), true));
            assertArrayEquals(alone.sequences().get(0), both.sequences().get(0));
        }
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            Generator g = new Generator(model, null, 2);
            long[] prompt = {0, 5, 9, 22};
            GenerationRequest r = GenerationRequest.greedy(prompt, 20);
            long[] first = g.generate(r.withSampling(Sampling.sample(1.0, 0, 1.0, 42))).newTokens().get(0);
            long[] again = g.generate(r.withSampling(Sampling.sample(1.0, 0, 1.0, 42))).newTokens().get(0);
            long[] other = g.generate(r.withSampling(Sampling.sample(1.0, 0, 1.0, 43))).newTokens().get(0);
            assertArrayEquals(first, again);
            assertFalse(Arrays.equals(first, other), "another seed gives another sample");
            long[] greedy = g.generate(r).newTokens().get(0);
            assertArrayEquals(greedy, g.generate(r.withSampling(Sampling.sample(1.0, 1, 1.0, 5))).newTokens().get(0),
                    "top-k 1 is greedy");
            assertArrayEquals(greedy, g.generate(r.withSampling(Sampling.sample(1.0, 0, 1e-6, 5))).newTokens().get(0),
                    "a tiny top-p is greedy");
        }
    }

    @Test
    void stopTokenEndsTheSequenceAfterEmittingIt() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            long[] prompt = Fixtures.golden(m, "llama-tiny", "generate.prompt").toLongArray();
            long[] expected = Fixtures.golden(m, "llama-tiny", "generate.output").toLongArray();
            long stop = expected[prompt.length + 3];
            int firstAt = 0;
            while (expected[prompt.length + firstAt] != stop) {
                firstAt++;
            }
            Generation out = new Generator(model, null, 0)
                    .generate(GenerationRequest.greedy(prompt, 10).withStopTokenIds(Set.of(stop)));
            assertEquals(firstAt + 1, out.newTokens().get(0).length);
            assertEquals(stop, out.newTokens().get(0)[firstAt]);
            assertEquals(Generation.StopReason.STOP_TOKEN, out.reasons().get(0));
        }
    }

    @Test
    void stopStringCutsTheTextAfterIt() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), m);
             Tokenizer tok = Tokenizer.load(Fixtures.model("gpt2-tiny"))) {
            Generation out = new Generator(model, tok, 50256).generate(
                    GenerationRequest.greedy(tok.encode("The capital of France is"), 8).withStopStrings(List.of(" neg")));
            assertEquals(" library library library library neg", out.texts().get(0));
            assertEquals(5, out.newTokens().get(0).length);
            assertEquals(Generation.StopReason.STOP_STRING, out.reasons().get(0));
        }
    }

    @Test
    void learnedPositionLimitIsCheckedBeforeDecoding() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), m)) {
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> new Generator(model, null, 0).generate(GenerationRequest.greedy(new long[] {1, 2, 3}, 100)));
            assertTrue(e.getMessage().contains("64"), e.getMessage());
        }
    }

    @Test
    void encodersCannotGenerate() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("bert-tiny"), m)) {
            assertThrows(ScalpelException.class, () -> new Generator(model, null, 0));
        }
    }

    @Test
    void samplerFrequenciesFollowTheWarpedDistribution() {
        float[] logits = {2f, 1f, 0f, -1f, -3f};
        int n = 20000;
        // top-k 3 at temperature 0.5: p ~ exp(2 * logit) over the first three.
        double[] expected = softmax(new double[] {4, 2, 0});
        int[] counts = new int[5];
        TokenChooser c = new TokenChooser(Sampling.sample(0.5, 3, 1.0, 3));
        for (int i = 0; i < n; i++) {
            counts[c.choose(logits)]++;
        }
        assertEquals(0, counts[3] + counts[4], "tokens outside the top k are never drawn");
        for (int i = 0; i < 3; i++) {
            double sigma = Math.sqrt(n * expected[i] * (1 - expected[i]));
            assertEquals(n * expected[i], counts[i], 4 * sigma + 1, "token " + i);
        }
        // top-p 0.8 at temperature 1: softmax = [.64, .23, .09, .03, .004] keeps the first two (0.64 < 0.8 <= 0.87).
        double[] full = softmax(new double[] {2, 1, 0, -1, -3});
        int[] counts2 = new int[5];
        TokenChooser c2 = new TokenChooser(Sampling.sample(1.0, 0, 0.8, 4));
        for (int i = 0; i < n; i++) {
            counts2[c2.choose(logits)]++;
        }
        assertEquals(0, counts2[2] + counts2[3] + counts2[4]);
        double p0 = full[0] / (full[0] + full[1]);
        assertEquals(n * p0, counts2[0], 4 * Math.sqrt(n * p0 * (1 - p0)));
        assertNotEquals(0, counts2[1]);
    }

    private static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double[] e = Arrays.stream(x).map(v -> Math.exp(v - max)).toArray();
        double s = Arrays.stream(e).sum();
        return Arrays.stream(e).map(v -> v / s).toArray();
    }

    private static long[] ids(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
