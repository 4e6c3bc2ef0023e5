package dev.scalpel.core.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scalpel's all-MiniLM-L6-v2 embeddings against LangChain4j's own (ONNX Runtime on the same ONNX file): an
 * independent implementation of tokenization, truncation, the forward pass, pooling and normalization.
 */
class MiniLmEmbeddingTest {
    private static SentenceEmbedder embedder;
    private static AllMiniLmL6V2EmbeddingModel oracle;

    @BeforeAll
    static void load() {
        embedder = MiniLm.load();
        oracle = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static List<float[]> oracle(List<String> texts) {
        return oracle.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector).toList();
    }

    static float maxAbsDiff(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        float max = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).length, b.get(i).length);
            for (int j = 0; j < a.get(i).length; j++) {
                max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return max;
    }

    @Test
    void embeddingsEqualLangChain4jsOnVariedAndOverlongTexts() {
        List<String> texts = MiniLmTexts.all();
        assertTrue(texts.size() >= 30);
        List<float[]> ours = embedder.embedAll(texts);
        List<float[]> theirs = oracle(texts);
        float err = maxAbsDiff(ours, theirs);
        System.out.printf("MiniLM vs LangChain4j: %d texts, max abs error %.3g%n", texts.size(), err);
        assertTrue(err <= 1e-4, "max abs error " + err);
        for (float[] v : ours) {
            assertEquals(384, v.length);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
        // Not a constant or near-constant output: different texts land apart, paraphrases close.
        assertTrue(cosine(ours.get(0), ours.get(4)) < 0.5);
    }

    @Test
    void longTextsAreTruncatedTo128TokensAsLangChain4jDoes() throws IOException {
        byte[] json;
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
            json = in.readAllBytes();
        }
        assertEquals(128, EmbeddingTokenizer.truncationOf(json, "tokenizer.json"));
        assertEquals(128, embedder.tokenizer().maxTokens());
        List<String> longTexts = MiniLmTexts.longTexts();
        try (EmbeddingTokenizer untruncated = EmbeddingTokenizer.fromJson(json, "tokenizer.json", 8192)) {
            long overlong = longTexts.stream().filter(t -> untruncated.encode(t).length() > 600).count();
            assertTrue(overlong >= 3, "only " + overlong + " texts are over 600 pieces");
        }
        String text = longTexts.get(1);
        assertEquals(128, embedder.tokenizer().encode(text).length());
        // What lies past the first 126 word pieces changes neither LangChain4j's vector nor ours.
        String extended = text + " Completely different words about volcanoes, poetry and the stock market.";
        List<float[]> theirs = oracle(List.of(text, extended));
        List<float[]> ours = embedder.embedAll(List.of(text, extended));
        assertTrue(maxAbsDiff(List.of(theirs.get(0)), List.of(theirs.get(1))) <= 1e-6);
        assertTrue(maxAbsDiff(List.of(ours.get(0)), List.of(ours.get(1))) <= 1e-6);
        // ... while within the limit the same extension moves the vector a lot.
        List<float[]> shortPair = embedder.embedAll(List.of("The weather is nice.", "The weather is nice." + extended));
        assertTrue(maxAbsDiff(List.of(shortPair.get(0)), List.of(shortPair.get(1))) > 0.01);
    }

    @Test
    void batchingDoesNotChangeEmbeddings() {
        List<String> texts = MiniLmTexts.all();
        List<float[]> one = embedder.embedAll(texts, 1);
        float worst = 0;
        for (int batch : new int[] {3, 8, 64}) {
            worst = Math.max(worst, maxAbsDiff(one, embedder.embedAll(texts, batch)));
        }
        System.out.printf("MiniLM batching: max abs difference %.3g%n", worst);
        assertTrue(worst <= 1e-6, "batching changes embeddings by " + worst);
        float[] alone = embedder.embed(texts.get(7));
        assertTrue(maxAbsDiff(List.of(alone), List.of(one.get(7))) <= 1e-6);
    }

    @Test
    void textsWithoutTokensAreRejectedLikeLangChain4jDoes() {
        for (String blank : List.of("", "   ", "\t\n", "\u0000\u0001")) {
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> embedder.embedAll(List.of("fine", blank)));
            assertTrue(e.getMessage().startsWith("text 2 of 2: nothing to embed"), e.getMessage());
            Throwable theirs = assertThrows(RuntimeException.class, () -> oracle(List.of(blank)));
            while (theirs.getCause() != null) {
                theirs = theirs.getCause();
            }
            // LangChain4j's TextSegment refuses blank text; its encoder refuses text that tokenizes to nothing.
            assertTrue(theirs instanceof IllegalArgumentException, theirs.toString());
            assertTrue(List.of("text cannot be null or blank", "Cannot embed empty or whitespace-only text")
                    .contains(theirs.getMessage()), theirs.getMessage());
        }
        assertFalse(embedder.embed("fine").length == 0);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
