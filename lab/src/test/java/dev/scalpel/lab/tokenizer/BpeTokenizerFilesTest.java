package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved files are a GPT-2-style byte-level BPE tokenizer that the Rust library loads and runs as intended. */
class BpeTokenizerFilesTest {
    private final BpeLabFixture lab = BpeLabFixture.get();

    @Test
    void rustLibraryLoadsItAndEveryEncodingStartsWithBos() {
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            for (String text : List.of("hello", "", "A dog is a kind of canine.", "<eos>")) {
                long[] ids = t.encode(text);
                assertEquals(0, ids[0], "first id of '" + text + "'");
                assertArrayEquals(ids, prepend(0, t.encode(text, false)), "BOS is the only special token added");
            }
        }
    }

    @Test
    void specialTokensHaveIdsZeroToThreeAndAreNeverSplit() {
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            assertArrayEquals(new long[] {0, 1, 2, 3}, t.encode("<bos><eos><pad><mask>", false));
            long[] ids = t.encode("the river<mask> flows <eos>", false);
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 3).count(), Arrays.toString(ids));
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 1).count(), Arrays.toString(ids));
            assertEquals("the river<mask> flows <eos>", t.decode(ids, false));
            assertEquals("the river flows ", t.decode(ids, true));
            assertFalse(Arrays.stream(t.encode("<mas bos>", false)).anyMatch(id -> id < 4), "near misses are text");
        }
        assertEquals(List.of("<bos>", "<eos>", "<pad>", "<mask>"), lab.model.vocab().subList(0, 4));
    }

    @Test
    void vocabularyHasExactlyTheSizeAsked() throws IOException {
        assertEquals(4096, lab.model.size());
        JsonNode vocab = tokenizerJson().path("model").path("vocab");
        assertEquals(4096, vocab.size());
        boolean[] seen = new boolean[4096];
        vocab.properties().forEach(e -> seen[e.getValue().asInt()] = true);
        for (int id = 0; id < seen.length; id++) {
            assertTrue(seen[id], "id " + id + " is used");
        }
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            String last = t.decode(new long[] {4095});
            assertFalse(last.isEmpty(), "the last token decodes to text");
        }
    }

    @Test
    void tooSmallCorpusIsReportedWithTheSizes() {
        ScalpelException e = assertThrows(ScalpelException.class,
                () -> BpeTrainer.train(List.of("a tiny corpus, a tiny corpus"), BpeConfig.lab()));
        assertTrue(e.getMessage().contains("too small") && e.getMessage().contains("4096"), e.getMessage());
    }

    @Test
    void badConfigurationsAreNamed() {
        ScalpelException small = assertThrows(ScalpelException.class, () -> BpeConfig.lab().withVocabSize(100));
        assertTrue(small.getMessage().contains("vocabSize 100"), small.getMessage());
        ScalpelException twice = assertThrows(ScalpelException.class,
                () -> new SpecialTokens("<s>", "</s>", "<s>", "<mask>"));
        assertTrue(twice.getMessage().contains("different"), twice.getMessage());
        ScalpelException spaced = assertThrows(ScalpelException.class,
                () -> new SpecialTokens("<s>", "</s>", "<p ad>", "<mask>"));
        assertTrue(spaced.getMessage().contains("'<p ad>'"), spaced.getMessage());
    }

    @Test
    void tokenizerJsonHasGpt2sDesignWithDigitsAndABosTemplate() throws IOException {
        JsonNode root = tokenizerJson();
        JsonNode steps = root.path("pre_tokenizer").path("pretokenizers");
        assertEquals("Sequence", root.path("pre_tokenizer").path("type").asText());
        assertEquals("Digits", steps.get(0).path("type").asText());
        assertTrue(steps.get(0).path("individual_digits").asBoolean());
        assertEquals("ByteLevel", steps.get(1).path("type").asText());
        assertFalse(steps.get(1).path("add_prefix_space").asBoolean(true));
        assertTrue(steps.get(1).path("use_regex").asBoolean());
        assertEquals("ByteLevel", root.path("decoder").path("type").asText());
        assertEquals("TemplateProcessing", root.path("post_processor").path("type").asText());
        assertEquals("BPE", root.path("model").path("type").asText());
        assertEquals(4096 - 4 - 256, root.path("model").path("merges").size(),
                "no two merges spelled the same token here, so each merge added one entry");
        for (int id = 0; id < 4; id++) {
            JsonNode token = root.path("added_tokens").get(id);
            assertEquals(id, token.path("id").asInt());
            assertEquals(lab.model.vocab().get(id), token.path("content").asText());
            assertTrue(token.path("special").asBoolean());
        }
        JsonNode config = new ObjectMapper().readTree(lab.folder.resolve("tokenizer_config.json").toFile());
        assertEquals("<bos>", config.path("bos_token").asText());
        assertEquals("<eos>", config.path("eos_token").asText());
        assertEquals("<pad>", config.path("pad_token").asText());
        assertEquals("<mask>", config.path("mask_token").asText());
        assertEquals(1024, config.path("model_max_length").asInt());
    }

    @Test
    void savedModelReadsBackEqual(@TempDir Path dir) throws IOException {
        assertEquals(lab.model, BpeModel.load(lab.folder));
        BpeModel noDigits = new BpeModel(lab.model.specialTokens(), false, 256, lab.model.vocab(), lab.model.merges());
        noDigits.save(dir);
        assertEquals(noDigits, BpeModel.load(dir));
        Path json = dir.resolve("tokenizer.json");
        String prefixed = Files.readString(json)
                .replaceFirst("\"add_prefix_space\": false", "\"add_prefix_space\": true");
        Files.writeString(json, prefixed);
        ScalpelException foreign = assertThrows(ScalpelException.class, () -> BpeModel.load(dir));
        assertTrue(foreign.getMessage().contains("pre_tokenizer"), foreign.getMessage());
        Files.delete(json);
        ScalpelException e = assertThrows(ScalpelException.class, () -> BpeModel.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    private JsonNode tokenizerJson() throws IOException {
        return new ObjectMapper().readTree(lab.folder.resolve("tokenizer.json").toFile());
    }

    private static long[] prepend(long first, long[] rest) {
        long[] all = new long[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
