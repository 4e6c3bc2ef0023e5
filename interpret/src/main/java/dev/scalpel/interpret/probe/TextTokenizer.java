package dev.scalpel.interpret.probe;

import dev.scalpel.core.text.TokenizedText;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.EmbeddingTokenizer;
import dev.scalpel.core.text.Tokenizer;
import java.util.Arrays;

/**
 * Tokenizes texts for feature extraction, truncated to a token budget, knowing which tokens are the text and which are
 * the special tokens around it (so that pooling may leave out a BOS or [CLS] whose activations say little about the
 * text). Two kinds: a model folder's tokenizer ({@link #of(Tokenizer, int)}: language models and BERT folders), and
 * the sentence-embedding tokenizer of MiniLM ({@link #of(EmbeddingTokenizer)}), which tokenizes exactly as Scalpel's
 * and LangChain4j's MiniLM embeddings do.
 */
@FunctionalInterface
public interface TextTokenizer {
    TokenizedText tokenize(String text);

    /**
     * A model folder's tokenizer with its post-processor's special tokens (a BOS for many decoders, [CLS] ... [SEP]
     * for BERT). A text longer than {@code maxTokens} keeps its first tokens and every special token. The special
     * tokens are found by comparing the encoding with and without them.
     */
    static TextTokenizer of(Tokenizer tokenizer, int maxTokens) {
        return text -> truncate(tokenizer.encode(text, true), tokenizer.encode(text, false), maxTokens);
    }

    /**
     * MiniLM's tokenizer ([CLS] ... [SEP], truncated at the tokenizer's own {@code maxTokens()}). A text with no word
     * pieces (empty, only whitespace) becomes [CLS] [SEP] rather than an error, so every example of a data set gets
     * features.
     */
    static TextTokenizer of(EmbeddingTokenizer tokenizer) {
        long[][] bare = new long[1][];
        return text -> {
            try {
                return tokenizer.encode(text);
            } catch (ScalpelException empty) {
                if (bare[0] == null) {
                    long[] ids = tokenizer.encode("a").ids();
                    bare[0] = new long[] {ids[0], ids[ids.length - 1]};
                }
                return new TokenizedText(bare[0].clone(), new long[2], 1, 1);
            }
        };
    }

    /**
     * Locates {@code plain} inside {@code withSpecial} and truncates the content to fit {@code maxTokens}. If the
     * post-processor changed the content itself (so it cannot be found), every token counts as content.
     */
    static TokenizedText truncate(long[] withSpecial, long[] plain, int maxTokens) {
        int extra = withSpecial.length - plain.length;
        int prefix = -1;
        for (int p = 0; extra >= 0 && p <= extra && prefix < 0; p++) {
            if (Arrays.equals(withSpecial, p, p + plain.length, plain, 0, plain.length)) {
                prefix = p;
            }
        }
        if (prefix < 0) {
            prefix = 0;
            plain = withSpecial;
            extra = 0;
        }
        int suffix = extra - prefix;
        if (maxTokens < prefix + suffix + 1) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " leaves no room for text beside "
                    + (prefix + suffix) + " special token(s)");
        }
        int content = Math.min(plain.length, maxTokens - prefix - suffix);
        long[] ids = new long[prefix + content + suffix];
        System.arraycopy(withSpecial, 0, ids, 0, prefix);
        System.arraycopy(plain, 0, ids, prefix, content);
        System.arraycopy(withSpecial, withSpecial.length - suffix, ids, prefix + content, suffix);
        return new TokenizedText(ids, new long[ids.length], prefix, prefix + content);
    }
}
