package dev.scalpel.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a tokenizer.json in Java before the native tokenizers library sees it. The Rust library panics on some
 * malformed files, and a panic across DJL's binding aborts the whole JVM, taking the user's unsaved work with it; each
 * shape found to do that (by fuzzing: {@code ReadersFuzzTest}, {@code TokenizerStructureFuzzTest}) is refused here,
 * naming the file and the field.
 */
final class TokenizerJsonCheck {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private TokenizerJsonCheck() {
    }

    /** @throws ScalpelException naming {@code file} when it is not a tokenizer.json the native library can take */
    static void check(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": not a tokenizer.json: not valid JSON ("
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new ScalpelException(file + ": not a tokenizer.json: expected a JSON object with a \"model\" object "
                    + "(the fast-tokenizer format that transformers saves)");
        }
        checkBpeMerges(file, root.path("model"));
    }

    /**
     * tokenizers 0.21 builds a BPE merge's token as {@code a + b[prefix.len()..]}, slicing b by the byte length of
     * {@code continuing_subword_prefix}: a second part that does not start with the prefix panics when it is shorter
     * or the cut falls inside a character. Files the trainer writes always carry the prefix there.
     */
    private static void checkBpeMerges(Path file, JsonNode model) {
        JsonNode prefix = model.path("continuing_subword_prefix");
        if (!"BPE".equals(model.path("type").asText()) || !prefix.isTextual() || prefix.asText().isEmpty()) {
            return;
        }
        JsonNode merges = model.path("merges");
        for (int i = 0; i < merges.size(); i++) {
            JsonNode merge = merges.get(i);
            String second = merge.isArray() && merge.size() == 2 ? merge.get(1).asText()
                    : merge.isTextual() && merge.asText().indexOf(' ') >= 0 ? merge.asText().substring(merge.asText().indexOf(' ') + 1)
                    : null;
            if (second != null && !second.startsWith(prefix.asText())) {
                throw new ScalpelException(file + ": model.merges[" + i + "] " + merge + ": its second part does not start "
                        + "with the continuing_subword_prefix " + prefix + " (the tokenizers library cannot build this merge)");
            }
        }
    }
}
