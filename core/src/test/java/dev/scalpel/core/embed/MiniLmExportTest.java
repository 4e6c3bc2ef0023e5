package dev.scalpel.core.embed;

import dev.scalpel.core.activations.TokenPooling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.model.Architecture;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.BertModel;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported Hugging Face folder: the real checkpoint's names, loadable by Scalpel, the same embeddings. */
class MiniLmExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Path folder;

    @BeforeAll
    static void export() {
        folder = dir.resolve("minilm-export");
        MiniLm.export(folder);
    }

    @Test
    void checkpointUsesTheHubCheckpointsKeyNamesAndLayout() {
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            List<String> names = f.names();
            assertEquals(5 + 16 * 6, names.size());
            assertTrue(names.stream().noneMatch(n -> n.startsWith("bert.")), names.toString());
            assertEquals("pt", f.metadata().get("format"));
            assertArrayEquals(new long[] {30522, 384}, f.info("embeddings.word_embeddings.weight").shape());
            assertArrayEquals(new long[] {512, 384}, f.info("embeddings.position_embeddings.weight").shape());
            assertArrayEquals(new long[] {2, 384}, f.info("embeddings.token_type_embeddings.weight").shape());
            assertArrayEquals(new long[] {384}, f.info("embeddings.LayerNorm.weight").shape());
            assertArrayEquals(new long[] {384, 384}, f.info("encoder.layer.0.attention.self.query.weight").shape());
            assertArrayEquals(new long[] {384}, f.info("encoder.layer.0.attention.self.query.bias").shape());
            assertArrayEquals(new long[] {384, 384}, f.info("encoder.layer.3.attention.output.dense.weight").shape());
            assertArrayEquals(new long[] {1536, 384}, f.info("encoder.layer.5.intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {384, 1536}, f.info("encoder.layer.5.output.dense.weight").shape());
            assertArrayEquals(new long[] {384}, f.info("encoder.layer.5.output.LayerNorm.bias").shape());
            assertTrue(f.infos().stream().allMatch(i -> i.dtype() == DType.F32));
        }
    }

    @Test
    void configAndTokenizerFilesAreThoseOfTheHubCheckpoint() throws IOException {
        JsonNode c = JSON.readTree(folder.resolve("config.json").toFile());
        assertEquals("[\"BertModel\"]", c.get("architectures").toString());
        assertEquals("bert", c.get("model_type").asText());
        assertEquals(384, c.get("hidden_size").asInt());
        assertEquals(6, c.get("num_hidden_layers").asInt());
        assertEquals(12, c.get("num_attention_heads").asInt());
        assertEquals(1536, c.get("intermediate_size").asInt());
        assertEquals(30522, c.get("vocab_size").asInt());
        assertEquals(512, c.get("max_position_embeddings").asInt());
        assertEquals(2, c.get("type_vocab_size").asInt());
        assertEquals("gelu", c.get("hidden_act").asText());
        assertEquals(1e-12, c.get("layer_norm_eps").asDouble());
        assertEquals(0, c.get("pad_token_id").asInt());
        assertEquals("absolute", c.get("position_embedding_type").asText());
        JsonNode t = JSON.readTree(folder.resolve("tokenizer_config.json").toFile());
        assertEquals("BertTokenizer", t.get("tokenizer_class").asText());
        assertTrue(t.get("do_lower_case").asBoolean());
        assertEquals(512, t.get("model_max_length").asInt());
        JsonNode tokenizer = JSON.readTree(folder.resolve("tokenizer.json").toFile());
        assertEquals(30522, tokenizer.get("model").get("vocab").size());
        assertEquals(128, tokenizer.get("truncation").get("max_length").asInt());
    }

    @Test
    void exportedFolderLoadsAndEmbedsExactlyAsTheOnnxImport() {
        try (TransformerModel model = Models.load(folder)) {
            assertEquals(Architecture.BERT, model.architecture());
            assertFalse(((BertModel) model).hasLanguageModelHead());
            assertEquals(12, model.config().numHeads());
        }
        List<String> texts = MiniLmTexts.all();
        try (SentenceEmbedder fromOnnx = MiniLm.load(); SentenceEmbedder fromFolder = SentenceEmbedder.open(folder)) {
            assertEquals(TokenPooling.MEAN, fromFolder.pooling());
            assertTrue(fromFolder.normalizes());
            assertEquals(128, fromFolder.tokenizer().maxTokens());
            List<float[]> a = fromOnnx.embedAll(texts);
            List<float[]> b = fromFolder.embedAll(texts);
            assertEquals(0f, MiniLmEmbeddingTest.maxAbsDiff(a, b), "same weights, same arithmetic");
        }
    }

    @Test
    void exportedFolderIsWrittenOnceAtomicallyIntoTheCache(@TempDir Path cache) throws IOException {
        Path first = MiniLm.exportedFolder(cache);
        assertEquals(cache.resolve("minilm"), first);
        Path weights = first.resolve("model.safetensors");
        FileTime written = Files.getLastModifiedTime(weights);
        assertEquals(Files.size(folder.resolve("model.safetensors")), Files.size(weights));
        assertEquals(first, MiniLm.exportedFolder(cache));
        assertEquals(written, Files.getLastModifiedTime(weights), "the second call must reuse the export");
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(first), entries.toList(), "no temporary folder is left behind");
        }
    }

    @Test
    void anIncompleteFolderInTheCacheIsReportedNotUsed(@TempDir Path cache) throws IOException {
        Files.createDirectories(cache.resolve("minilm"));
        Files.writeString(cache.resolve("minilm").resolve("config.json"), "{}");
        ScalpelException e = assertThrows(ScalpelException.class, () -> MiniLm.exportedFolder(cache));
        assertTrue(e.getMessage().contains("is not a complete export"), e.getMessage());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(cache.resolve("minilm")), entries.toList());
        }
    }

    @Test
    void sentenceTransformersModulesChoosePoolingNormalizationAndLimit(@TempDir Path st) throws IOException {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(folder.resolve(f), st.resolve(f));
        }
        Files.writeString(st.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
        Files.createDirectories(st.resolve("1_Pooling"));
        Files.writeString(st.resolve("1_Pooling").resolve("config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");
        Files.writeString(st.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        String text = MiniLmTexts.longTexts().getFirst();
        try (SentenceEmbedder e = SentenceEmbedder.open(st); NDManager m = NDManager.newBaseManager()) {
            assertEquals(TokenPooling.CLS, e.pooling());
            assertFalse(e.normalizes());
            assertEquals(256, e.tokenizer().maxTokens());
            dev.scalpel.core.text.TokenizedText encoded = e.tokenizer().encode(text);
            assertTrue(encoded.length() > 128 && encoded.length() < 256, "length " + encoded.length());
            // The [CLS] row of the final hidden state, not normalized.
            NDArray ids = m.create(encoded.ids()).reshape(1, encoded.length());
            float[] cls = e.model().forward(ForwardRequest.of(ids), m).hidden().get("0, 0, :").toFloatArray();
            float[] v = e.embed(text);
            assertArrayEquals(cls, v, 1e-5f);
            double norm = Math.sqrt(IntStream.range(0, v.length).mapToDouble(i -> v[i] * v[i]).sum());
            assertTrue(Math.abs(norm - 1) > 0.1, "norm " + norm);
        }
        Files.writeString(st.resolve("1_Pooling").resolve("config.json"), "{\"pooling_mode_max_tokens\": true}");
        ScalpelException e = assertThrows(ScalpelException.class, () -> SentenceEmbedder.open(st));
        assertEquals(st.resolve("1_Pooling").resolve("config.json") + ": pooling [pooling_mode_max_tokens] is not "
                + "supported (Scalpel pools with exactly one of pooling_mode_mean_tokens and pooling_mode_cls_token)",
                e.getMessage());
    }
}
