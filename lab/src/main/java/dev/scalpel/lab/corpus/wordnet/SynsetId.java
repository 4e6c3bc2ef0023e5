package dev.scalpel.lab.corpus.wordnet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;

/**
 * A synset's identity: part of speech and byte offset in WordNet 3.1's data file. Written as "02115987-n", the form
 * WordNet 3.1 itself and the Open Multilingual WordNet use, so ids in our datasheets can be looked up elsewhere.
 */
public record SynsetId(PartOfSpeech pos, long offset) implements Comparable<SynsetId> {
    private static final Comparator<SynsetId> ORDER =
            Comparator.comparing(SynsetId::pos).thenComparingLong(SynsetId::offset);

    public SynsetId {
        if (pos == null || offset < 0) {
            throw new IllegalArgumentException("synset id needs a part of speech and a non-negative offset");
        }
    }

    public static SynsetId noun(long offset) {
        return new SynsetId(PartOfSpeech.NOUN, offset);
    }

    /** A number unique to the synset, for hashing without building the string form. */
    public long key() {
        return ((long) pos.ordinal() << 40) | offset;
    }

    @Override
    public int compareTo(SynsetId other) {
        return ORDER.compare(this, other);
    }

    @Override
    @JsonValue
    public String toString() {
        // Hand-padded: String.format costs more than the rest of a build's per-synset work.
        String digits = Long.toString(offset);
        return "0".repeat(Math.max(0, 8 - digits.length())) + digits + "-" + pos.letter();
    }
}
