package dev.scalpel.cli;

import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** Texts tokenized in order and concatenated into one stream, stopping once it holds enough tokens. */
final class TokenStream {
    private TokenStream() {
    }

    /** At most {@code tokens} tokens of {@code texts} (no special tokens), tokenizing no more texts than that needs. */
    static int[] of(Tokenizer tokenizer, List<String> texts, long tokens) {
        List<long[]> parts = new ArrayList<>();
        long total = 0;
        for (String t : texts) {
            if (total >= tokens) {
                break;
            }
            long[] ids = tokenizer.encode(t, false);
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[Math.toIntExact(Math.min(total, tokens))];
        int at = 0;
        for (long[] p : parts) {
            for (long id : p) {
                if (at == out.length) {
                    return out;
                }
                out[at++] = Math.toIntExact(id);
            }
        }
        return out;
    }
}
