package dev.scalpel.lab.corpus.prose;

import dev.scalpel.lab.corpus.Splits;
import java.util.List;

/**
 * Real English prose split by document: the documents of each split and the passages cut from them (in document
 * order within a split; the training mix shuffles).
 */
public record ProseCorpus(Splits<ProseDocument> documents, Splits<Passage> passages) {

    public static long words(List<Passage> passages) {
        long n = 0;
        for (Passage p : passages) {
            n += p.text().split(" ").length;
        }
        return n;
    }
}
