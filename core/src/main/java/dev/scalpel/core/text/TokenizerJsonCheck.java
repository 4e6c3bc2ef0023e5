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
    static void check(Path file, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ScalpelException(file + ": not a tokenizer.json: not valid JSON ("
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new ScalpelException(file + ": not a tokenizer.json: expected a JSON object with a \"model\" object "
                    + "(the fast-tokenizer format that transformers saves)");
        }
        checkBpeMerges(file, root.path("model"));
        checkPrecompiled(file, root.path("normalizer"), "normalizer");
        checkAddedTokens(file, root);
    }

    /**
     * tokenizers 0.21 matches added tokens in the normalized text when they are {@code normalized}; one whose content
     * the normalizer deletes entirely (found by fuzzing: {@code "\u007f"} under Nmt, which drops control characters)
     * becomes an empty pattern, which matches inside multi-byte characters, and slicing the text there panics. An
     * empty content is refused for the same reason. Which characters a normalizer deletes is read from the types in
     * the normalizer tree (Nmt's control characters, BertNormalizer's and StripAccents' marks and controls, Strip's
     * whitespace, a Replace by nothing); a Precompiled charsmap's mappings are not followed.
     */
    private static void checkAddedTokens(Path file, JsonNode root) {
        JsonNode added = root.path("added_tokens");
        java.util.List<JsonNode> normalizers = new java.util.ArrayList<>();
        collectTyped(root.path("normalizer"), normalizers);
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.path(i);
            String content = token.path("content").asText("");
            boolean normalized = token.path("normalized").asBoolean(!token.path("special").asBoolean(false));
            String problem = content.isEmpty() ? "has an empty content"
                    : normalized && !normalizers.isEmpty() && survivesNormalization(content, normalizers).isEmpty()
                    ? "is normalized to nothing by the normalizer" : null;
            if (problem != null) {
                throw new ScalpelException(file + ": added_tokens[" + i + "] " + JSON.valueToTree(content) + " " + problem
                        + " (the tokenizers library would abort matching it)");
            }
        }
    }

    /** Every object with a "type" in a normalizer tree, lists and untagged nestings included. */
    private static void collectTyped(JsonNode node, java.util.List<JsonNode> out) {
        if (node.isObject() && node.path("type").isTextual()) {
            out.add(node);
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectTyped(child, out));
        }
    }

    /** What is left of {@code content} once every character some normalizer in the tree deletes is removed. */
    private static String survivesNormalization(String content, java.util.List<JsonNode> normalizers) {
        String left = content;
        for (JsonNode n : normalizers) {
            switch (n.path("type").asText()) {
                case "Nmt" -> left = without(left, TokenizerJsonCheck::nmtDeletes);
                case "BertNormalizer", "StripAccents" -> left = without(left, TokenizerJsonCheck::controlOrMark);
                case "Strip" -> left = left.strip();
                case "Replace" -> {
                    if (n.path("content").asText("x").isEmpty()) {
                        JsonNode pattern = n.path("pattern");
                        if (pattern.path("String").isTextual() && !pattern.path("String").asText().isEmpty()) {
                            left = left.replace(pattern.path("String").asText(), "");
                        } else if (pattern.path("Regex").isTextual()) {
                            try {
                                left = left.replaceAll(pattern.path("Regex").asText(), "");
                            } catch (RuntimeException notJavaRegex) {
                                // an Oniguruma-only pattern: not followed
                            }
                        }
                    }
                }
                default -> {
                    // the Unicode normal forms, Lowercase, Prepend never empty a text; Precompiled is not followed
                }
            }
        }
        return left;
    }

    private static String without(String text, java.util.function.IntPredicate deleted) {
        StringBuilder kept = new StringBuilder();
        text.codePoints().filter(deleted.negate()).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /** The control characters the Nmt normalizer filters out (tokenizers' nmt.rs). */
    private static boolean nmtDeletes(int c) {
        return (c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F || c == 0x9F;
    }

    /** Controls BertNormalizer's clean_text drops, and the marks its (and StripAccents') accent stripping drops. */
    private static boolean controlOrMark(int c) {
        int type = Character.getType(c);
        return c == 0 || c == 0xFFFD || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || ((type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                        || type == Character.UNASSIGNED) && c != '\t' && c != '\n' && c != '\r');
    }

    /**
     * tokenizers 0.21 parses a Precompiled normalizer (SentencePiece's compiled rules) with {@code expect}: a missing
     * or malformed {@code precompiled_charsmap} panics. Its format is base64 of [u32 trie length in bytes, the trie as
     * u32s, the normalized strings as UTF-8]; the lengths are checked here, not the trie's contents, which only a file
     * made to do so would get wrong.
     */
    private static void checkPrecompiled(Path file, JsonNode normalizer, String where) {
        // Every object below the normalizer: the library also reads untagged forms (a "normalizers" list whatever the
        // type says), so any Precompiled anywhere in the tree is checked (found by fuzzing).
        if (normalizer.isArray()) {
            for (int i = 0; i < normalizer.size(); i++) {
                checkPrecompiled(file, normalizer.path(i), where + "[" + i + "]");
            }
            return;
        }
        if (!normalizer.isObject()) {
            return;
        }
        var fields = normalizer.properties().iterator();
        while (fields.hasNext()) {
            var field = fields.next();
            checkPrecompiled(file, field.getValue(), where + "." + field.getKey());
        }
        if (!"Precompiled".equals(normalizer.path("type").asText())) {
            return;
        }
        JsonNode map = normalizer.path("precompiled_charsmap");
        String problem = null;
        if (!map.isTextual()) {
            problem = "has no precompiled_charsmap string";
        } else {
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(map.asText());
            } catch (IllegalArgumentException e) {
                bytes = null;
                problem = "precompiled_charsmap is not base64 (" + e.getMessage() + ")";
            }
            if (bytes != null) {
                long trie = bytes.length < 4 ? -1 : java.nio.ByteBuffer.wrap(bytes, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (trie < 0 || trie % 4 != 0 || trie > bytes.length - 4) {
                    problem = "precompiled_charsmap's trie length does not fit its " + bytes.length + " bytes";
                } else if (!validUtf8(bytes, 4 + (int) trie)) {
                    problem = "precompiled_charsmap's normalized strings are not UTF-8";
                }
            }
        }
        if (problem != null) {
            throw new ScalpelException(file + ": " + where + " (Precompiled) " + problem
                    + " (the tokenizers library would abort on it)");
        }
    }

    private static boolean validUtf8(byte[] bytes, int from) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, from, bytes.length - from));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
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
            JsonNode merge = merges.path(i);   // path: a non-array "merges" holds no merge here
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
