package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The candidates of every relation for one WordNet snapshot. They depend on nothing but the snapshot, and extracting
 * them scans all noun synsets (most of a TINY build's time), so they are computed once per snapshot and reused by
 * every build, whatever its seed or profile.
 */
public final class FactCandidates {
    private static final Map<WordNet, Map<Relation, List<Candidate>>> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private FactCandidates() {}

    /** Candidates per relation, each list sorted by descending score, then subject. */
    public static Map<Relation, List<Candidate>> of(WordNet wordNet) {
        return CACHE.computeIfAbsent(wordNet, FactCandidates::extract);
    }

    private static Map<Relation, List<Candidate>> extract(WordNet wordNet) {
        CandidateExtractor extractor = new CandidateExtractor(wordNet);
        Map<Relation, List<Candidate>> all = new EnumMap<>(Relation.class);
        for (Relation relation : Relation.values()) {
            all.put(relation, List.copyOf(extractor.extract(relation)));
        }
        return Collections.unmodifiableMap(all);
    }
}
