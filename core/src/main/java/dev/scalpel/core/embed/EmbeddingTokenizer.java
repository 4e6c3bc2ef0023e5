package dev.scalpel.core.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.text.TokenizedText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Turns a text into the token ids its sentence embedding is computed from, the way LangChain4j's
 * {@code OnnxBertBiEncoder} (langchain4j-embeddings 1.19.0-beta29) does with DJL's {@code HuggingFaceTokenizer}, so
 * that Scalpel's embeddings equal LangChain4j's:
 *
 * <ol>
 *   <li>tokenize the text with [CLS] and [SEP], truncated to {@link #maxTokens()} tokens in all. LangChain4j asks for
 *       no truncation, but DJL truncates anyway (longest-first) at the {@code max_length} of tokenizer.json's
 *       {@code truncation} section, capped at 512: 128 for all-MiniLM-L6-v2, so a longer text is embedded from its
 *       first 126 word pieces. LangChain4j then splits the pieces into partitions of 510 to average them, which
 *       after that truncation is always a single partition; so truncation is the whole long-text story;</li>
 *   <li>drop [CLS] and [SEP] and join the pieces back into text as DJL's {@code buildSentence} does (joined by
 *       spaces, {@code " ##"} removed);</li>
 *   <li>if that text tokenizes to the same pieces, encode it; otherwise encode the pieces concatenated without
 *       spaces (LangChain4j's fallback). Either way the ids get [CLS] and [SEP] again.</li>
 * </ol>
 * A text with no word pieces (empty, whitespace, control characters) cannot be embedded, as in LangChain4j.
 */
public final class EmbeddingTokenizer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String sha256;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private EmbeddingTokenizer(String source, String sha256, HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.source = source;
        this.sha256 = sha256;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /** SHA-256 of the tokenizer.json it was loaded from (with {@link #maxTokens}, what keys work tokenized by it). */
    public String sha256() {
        return sha256;
    }

    /** A text's ids and token types ([CLS] and [SEP] included), ready for the model. */
    /**
     * Loads a tokenizer.json.
     *
     * @param source names the tokenizer in messages
     * @param maxTokens the most tokens a text keeps, [CLS] and [SEP] included (at least 3)
     */
    public static EmbeddingTokenizer fromJson(byte[] tokenizerJson, String source, int maxTokens) {
        if (maxTokens < 3) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS], [SEP] and one word piece: " + maxTokens);
        }
        Runtime.init();
        // Padding off as LangChain4j asks; truncation stated explicitly rather than left to DJL's defaults.
        Map<String, String> options = Map.of("padding", "false", "truncation", "true",
                "maxLength", Integer.toString(maxTokens), "modelMaxLength", Integer.toString(maxTokens));
        try {
            return new EmbeddingTokenizer(source, dev.scalpel.core.io.Sha256.of(tokenizerJson),
                    HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options), maxTokens);
        } catch (IOException | RuntimeException e) {
            throw new ScalpelException(source + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code max_length} of tokenizer.json's {@code truncation} section, or 0 when the tokenizer does not truncate.
     * DJL (and so LangChain4j) truncates there even when asked not to.
     */
    public static int truncationOf(byte[] tokenizerJson, String source) {
        try {
            JsonNode truncation = JSON.readTree(tokenizerJson).path("truncation");
            return truncation.path("max_length").asInt(0);
        } catch (IOException e) {
            throw new ScalpelException(source + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The most tokens a text keeps, [CLS] and [SEP] included. */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * [CLS] word pieces [SEP], the word pieces being the text's content.
     *
     * @throws ScalpelException if the text has no word pieces
     */
    public TokenizedText encode(String text) {
        List<String> tokens = tokenizer.tokenize(text);
        if (tokens.size() <= 2) {
            throw new ScalpelException("nothing to embed: the text is empty or holds only whitespace or control "
                    + "characters (" + quote(text) + ")");
        }
        Encoding encoding = tokenizer.encode(roundTrip(tokens.subList(1, tokens.size() - 1)), true, false);
        long[] special = encoding.getSpecialTokenMask();
        if (special.length < 2 || special[0] != 1 || special[special.length - 1] != 1) {
            throw new ScalpelException(source + ": the tokenizer does not wrap texts in special tokens ([CLS] ... "
                    + "[SEP]); sentence embeddings need a BERT-style tokenizer");
        }
        long[] ids = encoding.getIds();
        return new TokenizedText(ids, encoding.getTypeIds(), 1, ids.length - 1);
    }

    /** Step 2 and 3 above: the text that is finally encoded. */
    private String roundTrip(List<String> pieces) {
        String text = tokenizer.buildSentence(pieces);
        List<String> again = new LinkedList<>(tokenizer.tokenize(text));
        again.removeFirst();
        again.removeLast();
        return again.equals(pieces) ? text : String.join("", pieces);
    }

    private static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : Character.toString(c)));
        return out.append('"').toString();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
