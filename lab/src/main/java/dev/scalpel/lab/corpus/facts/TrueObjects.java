package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.wordnet.Lemma;
import dev.scalpel.lab.corpus.wordnet.Link;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every word that would also make a true statement about a subject under a relation: all lemmas reachable from the
 * subject along the relation's {@link Relation#truthLinks()} (a poodle is a kind of dog, canine, carnivore, animal;
 * a kitchen is a room, and part of a building). A counterfactual target must be none of them, or "editing" the fact
 * would teach something true.
 */
public final class TrueObjects {
    private TrueObjects() {}

    /** Lower-cased lemmas, the subject's own included. */
    public static Set<String> of(WordNet wordNet, SynsetId subject, Relation relation) {
        Set<String> words = new HashSet<>();
        Set<SynsetId> seen = new HashSet<>();
        ArrayDeque<SynsetId> queue = new ArrayDeque<>();
        queue.add(subject);
        while (!queue.isEmpty()) {
            SynsetId id = queue.poll();
            if (!seen.add(id)) {
                continue;
            }
            SynsetEntry synset = wordNet.find(id).orElse(null);
            if (synset == null) {
                continue;
            }
            for (Lemma lemma : synset.lemmas()) {
                words.add(lemma.text().toLowerCase(Locale.ROOT));
            }
            for (Link link : relation.truthLinks()) {
                queue.addAll(synset.targets(link));
            }
        }
        return words;
    }
}
