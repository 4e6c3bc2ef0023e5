package dev.scalpel.interpret.harvest;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.embed.EmbeddingTokenizer;
import dev.scalpel.core.model.ModelConfig;
import dev.scalpel.core.text.Tokenizer;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Turns a text into the token ids a harvest (or a splice evaluation) runs, and says which positions are BOS. Both
 * share one instance so that an SAE is evaluated on exactly the positions it was trained on.
 *
 * <p>The BOS id is found by probing the tokenizer: if it puts a special token in front of a text (Llama's
 * {@code <s>}, BERT's {@code [CLS]}), that token is the BOS; otherwise it is config.json's {@code bos_token_id}
 * (GPT-2's {@code <|endoftext|>}), which is prepended when asked.
 */
public final class TokenSource {
    private static final String PROBE = "a";

    private final Function<String, long[]> encoder;
    private final String tokenizerSha256;
    private final long bosId;
    private final boolean added;
    private final boolean prepend;

    private TokenSource(Function<String, long[]> encoder, String tokenizerSha256, long bosId, boolean added,
                        boolean prepend) {
        this.encoder = encoder;
        this.tokenizerSha256 = tokenizerSha256;
        this.bosId = bosId;
        this.added = added;
        this.prepend = prepend;
    }

    /**
     * What decides the ids this source gives: the tokenizer file's hash, the BOS id and whether it is prepended (and,
     * for a sentence embedder's tokenizer, its truncation). Part of the key of a harvest.
     */
    public String fingerprint() {
        return tokenizerSha256 + " bos " + bosId + (prepend ? " prepended" : added ? " added" : "");
    }

    /** A text's ids and which of them are BOS. */
    public record Tokens(long[] ids, boolean[] bos) {
        public int length() {
            return ids.length;
        }
    }

    /** The tokens of a model folder's tokenizer.json (causal LMs and encoders alike). */
    public static TokenSource of(LoadedModel model, boolean prependBos) {
        return of(model.requireTokenizer(), model.model().config(), prependBos);
    }

    /** @param prependBos put config.json's BOS in front of texts whose tokenizer does not add one */
    public static TokenSource of(Tokenizer tokenizer, ModelConfig config, boolean prependBos) {
        long[] with = tokenizer.encode(PROBE, true);
        long[] without = tokenizer.encode(PROBE, false);
        if (with.length > without.length && (without.length == 0 || with[0] != without[0])) {
            return new TokenSource(t -> tokenizer.encode(t, true), tokenizer.sha256(), with[0], true, false);
        }
        Integer configured = config.bosTokenId();
        long bos = configured == null ? -1 : configured;
        return new TokenSource(t -> tokenizer.encode(t, true), tokenizer.sha256(), bos, false, prependBos && bos >= 0);
    }

    /** The tokens a sentence embedder computes from ({@code [CLS] ... [SEP]}, truncated as LangChain4j does). */
    public static TokenSource of(EmbeddingTokenizer tokenizer) {
        long cls = tokenizer.encode(PROBE).ids()[0];
        return new TokenSource(t -> tokenizer.encode(t).ids(), tokenizer.sha256() + " max " + tokenizer.maxTokens(), cls,
                true, false);
    }

    /** The BOS (or CLS) id, or -1 when the model has none. */
    public long bosId() {
        return bosId;
    }

    /** Whether this source puts a BOS in front of the tokenizer's ids. */
    public boolean prependsBos() {
        return prepend;
    }

    /** Whether sequences start with BOS (or CLS), added by the tokenizer or by this source. */
    public boolean startsWithBos() {
        return added || prepend;
    }

    /** The ids of {@code text}, BOS first if asked, cut to {@code maxTokens}. */
    public Tokens tokenize(String text, int maxTokens) {
        long[] raw = encoder.apply(text);
        long[] ids;
        if (prepend && (raw.length == 0 || raw[0] != bosId)) {
            ids = new long[raw.length + 1];
            ids[0] = bosId;
            System.arraycopy(raw, 0, ids, 1, raw.length);
        } else {
            ids = raw;
        }
        if (ids.length > maxTokens) {
            ids = Arrays.copyOf(ids, maxTokens);
        }
        boolean[] bos = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bos[i] = bosId >= 0 && ids[i] == bosId;
        }
        return new Tokens(ids, bos);
    }
}
