package dev.scalpel.core.train;

import dev.scalpel.core.text.Tokenizer;
import java.util.Arrays;

/**
 * Packs documents into one token stream for {@link PackedBatches}: each document as the tokenizer encodes it (with its
 * beginning-of-text token, where the tokenizer adds one) followed by the end-of-text id.
 */
public final class DocumentPacker {
    private final Tokenizer tokenizer;
    private final int eosId;
    private int[] data;
    private int size;

    /** @param capacity the tokens expected (the stream grows past it when needed) */
    public DocumentPacker(Tokenizer tokenizer, int eosId, long capacity) {
        this.tokenizer = tokenizer;
        this.eosId = eosId;
        this.data = new int[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, capacity + 1024))];
    }

    public void add(String document) {
        long[] ids = tokenizer.encode(document);
        if (size + ids.length + 1 > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + ids.length + 1));
        }
        for (long id : ids) {
            data[size++] = (int) id;
        }
        data[size++] = eosId;
    }

    public int size() {
        return size;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
