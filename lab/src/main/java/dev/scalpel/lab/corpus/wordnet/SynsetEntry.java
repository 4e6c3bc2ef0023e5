package dev.scalpel.lab.corpus.wordnet;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One synset of the snapshot: its lemmas in WordNet's order (the first is the usual name), the raw gloss (definitions
 * and quoted examples separated by semicolons), the lexicographer file it comes from ("noun.animal",
 * "noun.location"), and its outgoing noun links.
 */
public record SynsetEntry(SynsetId id, List<Lemma> lemmas, String gloss, String lexFile, Map<Link, List<SynsetId>> links) {
    public SynsetEntry {
        if (lemmas == null || lemmas.isEmpty()) {
            throw new IllegalArgumentException("synset " + id + " has no lemmas");
        }
        lemmas = List.copyOf(lemmas);
        gloss = gloss == null ? "" : gloss;
        EnumMap<Link, List<SynsetId>> copy = new EnumMap<>(Link.class);
        links.forEach((link, targets) -> copy.put(link, List.copyOf(targets)));
        links = Collections.unmodifiableMap(copy);
    }

    /** Targets of one link in WordNet's order; empty when the synset has none. */
    public List<SynsetId> targets(Link link) {
        return links.getOrDefault(link, List.of());
    }

    public boolean isInstance() {
        return !targets(Link.INSTANCE_HYPERNYM).isEmpty();
    }

    public PartOfSpeech pos() {
        return id.pos();
    }
}
