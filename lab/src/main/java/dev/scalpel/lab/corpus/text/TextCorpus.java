package dev.scalpel.lab.corpus.text;

import dev.scalpel.lab.corpus.Splits;
import java.util.List;

/** The English text corpus: one document per synset, split by synset. */
public record TextCorpus(Splits<TextDocument> documents) {
    /** Characters in one split, the basis of the datasheet's rough token count (about four characters per token). */
    public static long characters(List<TextDocument> documents) {
        long n = 0;
        for (TextDocument d : documents) {
            n += d.text().length();
        }
        return n;
    }
}
