package dev.scalpel.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real GPT-2 tokenizer gives the ids and texts transformers gives. */
class TokenizerTest {

    @Test
    void gpt2TokenizerMatchesTransformers() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(Fixtures.model("gpt2-tiny").resolve("golden_tokenize.json").toFile());
        try (Tokenizer t = Tokenizer.load(Fixtures.model("gpt2-tiny"))) {
            for (int i = 0; i < golden.get("texts").size(); i++) {
                String text = golden.get("texts").get(i).asText();
                long[] expected = new long[golden.get("ids").get(i).size()];
                for (int j = 0; j < expected.length; j++) {
                    expected[j] = golden.get("ids").get(i).get(j).asLong();
                }
                assertArrayEquals(expected, t.encode(text), "ids of " + text);
                assertEquals(golden.get("decoded").get(i).asText(), t.decode(expected), "text of " + text);
            }
        }
    }

    @Test
    void templateTokenizerAddsItsBos() {
        try (Tokenizer t = Tokenizer.load(Fixtures.model("llama-tiny"))) {
            long[] ids = t.encode("hello world");
            assertEquals(0, ids[0], "llama-tiny's post-processor prepends <s> (id 0)");
            assertTrue(t.decode(ids).endsWith("hello world"), t.decode(ids));
            assertEquals(ids.length - 1, t.encode("hello world", false).length);
        }
    }

    /** The hash that keys tokenizer-dependent work is the file's: sha256sum of tokenizer.json, computed independently. */
    @Test
    void sha256IsTheFileHash() throws Exception {
        Path file = Fixtures.model("gpt2-tiny").resolve("tokenizer.json");
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(java.nio.file.Files.readAllBytes(file)));
        try (Tokenizer gpt2 = Tokenizer.load(file); Tokenizer llama = Tokenizer.load(Fixtures.model("llama-tiny"))) {
            assertEquals(expected, gpt2.sha256());
            assertTrue(!gpt2.sha256().equals(llama.sha256()), "two tokenizers, two hashes");
        }
    }

    @Test
    void missingTokenizerIsNamed(@TempDir Path dir) {
        ScalpelException e = assertThrows(ScalpelException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    /**
     * Found by TokenizerStructureFuzzTest: a BPE merge whose second part lacks the continuing_subword_prefix made the
     * native library panic ("byte index 6 is out of bounds"), which aborted the JVM. It is refused, naming the merge.
     */
    @Test
    void aMergeWithoutTheSubwordPrefixIsRefusedBeforeTheNativeLibraryPanics(@TempDir Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                Fixtures.model("llama-tiny").resolve("tokenizer.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).put("continuing_subword_prefix", "##xyz!");
        Path file = dir.resolve("tokenizer.json");
        json.writeValue(file.toFile(), root);
        ScalpelException e = assertThrows(ScalpelException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("model.merges[0]"), e.getMessage());
    }

    /**
     * Found by TokenizerStructureFuzzTest: an added token that the normalizer deletes entirely (DEL under Nmt, which
     * drops control characters) became an empty pattern, and encoding multi-byte text panicked ("byte index 1 is not a
     * char boundary"), aborting the JVM. It is refused, naming the token; the same token matched on the raw text
     * (normalized false) is fine and loads.
     */
    @Test
    void anAddedTokenTheNormalizerDeletesIsRefusedBeforeTheNativeLibraryPanics(@TempDir Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (boolean normalized : new boolean[] {true, false}) {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                    Fixtures.model("llama-tiny").resolve("tokenizer.json").toFile());
            root.putObject("normalizer").put("type", "Nmt");
            ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("added_tokens")).addObject().put("id", 511)
                    .put("content", "\u007f").put("single_word", false).put("lstrip", false).put("rstrip", false)
                    .put("normalized", normalized).put("special", false);
            Path file = dir.resolve("tokenizer-" + normalized + ".json");
            json.writeValue(file.toFile(), root);
            if (normalized) {
                ScalpelException e = assertThrows(ScalpelException.class, () -> Tokenizer.load(file));
                assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("added_tokens[5]")
                        && e.getMessage().contains("normalized to nothing"), e.getMessage());
            } else {
                try (Tokenizer t = Tokenizer.load(file)) {
                    assertTrue(t.encode("\u0555\u0555A").length > 1);
                }
            }
        }
    }
}
