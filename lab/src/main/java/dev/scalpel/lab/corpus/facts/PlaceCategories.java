package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.wordnet.Link;
import dev.scalpel.lab.corpus.wordnet.PartOfSpeech;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which place categories are populated or governed regions: cities, towns, capitals, countries, states, provinces.
 * In WordNet these descend from "municipality", "administrative district" or "capital"; rivers, islands and mountain
 * ranges descend from elsewhere. Names of regions read well without an article ("Dallas is a city", "Cleveland is
 * located in Ohio"), the others often need "the" ("the Ganges").
 */
final class PlaceCategories {
    private static final Set<String> ROOT_LEMMAS = Set.of("municipality", "administrative district", "capital");
    private static final String LOCATION = "noun.location";

    private final WordNet wordNet;
    private final Set<SynsetId> roots = new HashSet<>();
    private final Map<SynsetId, Boolean> memo = new HashMap<>();

    PlaceCategories(WordNet wordNet) {
        this.wordNet = wordNet;
        for (SynsetEntry s : wordNet.synsets()) {
            if (s.pos() == PartOfSpeech.NOUN && s.lexFile().equals(LOCATION)
                    && ROOT_LEMMAS.contains(s.lemmas().getFirst().text())) {
                roots.add(s.id());
            }
        }
    }

    /** Whether a category synset (city, African country) descends from a region root. */
    boolean isRegionCategory(SynsetId category) {
        Boolean known = memo.get(category);
        if (known != null) {
            return known;
        }
        boolean found = false;
        ArrayDeque<SynsetId> queue = new ArrayDeque<>();
        Set<SynsetId> seen = new HashSet<>();
        queue.add(category);
        while (!queue.isEmpty() && !found) {
            SynsetId id = queue.poll();
            if (!seen.add(id)) {
                continue;
            }
            found = roots.contains(id);
            wordNet.find(id).ifPresent(s -> queue.addAll(s.targets(Link.HYPERNYM)));
        }
        memo.put(category, found);
        return found;
    }

    /** Whether a named place (Dallas) is an instance of a region category. */
    boolean isRegion(SynsetId place) {
        return wordNet.find(place).map(s -> s.targets(Link.INSTANCE_HYPERNYM).stream().anyMatch(this::isRegionCategory))
                .orElse(false);
    }
}
