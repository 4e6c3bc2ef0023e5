package dev.scalpel.lab.corpus.wordnet;

import dev.scalpel.core.ScalpelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the parts of WordNet the corpora use. Lookups never touch the extjwnl dictionary again,
 * which keeps builds fast and lets tests construct small snapshots by hand.
 */
public final class WordNet {
    private final List<SynsetEntry> ordered;
    private final Map<SynsetId, SynsetEntry> byId;
    private final Map<String, SynsetId> firstNounSense;
    private final Map<String, List<String>> irregularNounPlurals;
    private final Map<String, Integer> glossWordCounts;
    private final String license;

    /**
     * @param synsets              every synset, any order (kept sorted by id)
     * @param firstNounSense       lower-cased noun lemma to its most frequent sense (the first in WordNet's index)
     * @param irregularNounPlurals noun lemma to its irregular plural forms from WordNet's exception list
     * @param license              the license text that must travel with anything derived from the data
     */
    public WordNet(List<SynsetEntry> synsets, Map<String, SynsetId> firstNounSense,
            Map<String, List<String>> irregularNounPlurals, String license) {
        List<SynsetEntry> sorted = new ArrayList<>(synsets);
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        this.ordered = Collections.unmodifiableList(sorted);
        Map<SynsetId, SynsetEntry> index = new HashMap<>(sorted.size() * 2);
        for (SynsetEntry entry : sorted) {
            if (index.put(entry.id(), entry) != null) {
                throw new ScalpelException("WordNet snapshot: synset " + entry.id() + " appears twice");
            }
        }
        this.byId = index;
        this.firstNounSense = Map.copyOf(firstNounSense);
        this.irregularNounPlurals = Map.copyOf(irregularNounPlurals);
        this.glossWordCounts = GlossWordCounts.count(sorted);
        this.license = license;
    }

    /** The WordNet 3.1 shipped on the class path, loaded once per JVM (about a second) and shared: it is immutable. */
    public static WordNet shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final WordNet INSTANCE = WordNetLoader.load();
    }

    /** Every synset, sorted by part of speech and offset. */
    public List<SynsetEntry> synsets() {
        return ordered;
    }

    public Optional<SynsetEntry> find(SynsetId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public SynsetEntry synset(SynsetId id) {
        SynsetEntry entry = byId.get(id);
        if (entry == null) {
            throw new ScalpelException("WordNet snapshot: no synset " + id);
        }
        return entry;
    }

    /** The most frequent noun sense of a lemma (case-insensitive, as WordNet's index), if the lemma is a noun. */
    public Optional<SynsetId> firstNounSense(String lemma) {
        return Optional.ofNullable(firstNounSense.get(lemma.toLowerCase(Locale.ROOT)));
    }

    /** Irregular plural forms WordNet lists for a noun lemma ("wolves" for "wolf"); empty for regular nouns. */
    public List<String> irregularPlurals(String lemma) {
        return irregularNounPlurals.getOrDefault(lemma.toLowerCase(Locale.ROOT), List.of());
    }

    /** How often a lower-cased word occurs in all glosses: a corpus frequency that also covers proper names. */
    public int glossCount(String word) {
        return glossWordCounts.getOrDefault(word.toLowerCase(Locale.ROOT), 0);
    }

    /** The WordNet license; its terms require it to appear on every copy, including derived corpora. */
    public String license() {
        return license;
    }
}
