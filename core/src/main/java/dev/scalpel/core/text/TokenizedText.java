package dev.scalpel.core.text;

/**
 * A text as the model reads it: the one tokenized-text type (feature extraction, sentence embeddings, activation
 * streams).
 *
 * @param ids token ids, special tokens included
 * @param typeIds BERT segment ids (zeros for decoders)
 * @param contentStart the first token of the text itself (after a BOS or [CLS])
 * @param contentEnd one past the text's last token (before an EOS or [SEP])
 */
public record TokenizedText(long[] ids, long[] typeIds, int contentStart, int contentEnd) {
    public TokenizedText {
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + typeIds.length + " type ids");
        }
        if (contentStart < 0 || contentEnd < contentStart || contentEnd > ids.length) {
            throw new IllegalArgumentException("content [" + contentStart + ", " + contentEnd + ") outside [0, "
                    + ids.length + "]");
        }
    }

    /** Ids without special tokens or segments: every token is content, every type id 0. */
    public static TokenizedText of(long[] ids) {
        return new TokenizedText(ids, new long[ids.length], 0, ids.length);
    }

    public int length() {
        return ids.length;
    }

    public boolean hasContent() {
        return contentEnd > contentStart;
    }
}
