package dev.scalpel.lab.corpus.wordnet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word frequencies over all glosses. WordNet's tag counts are zero for most senses (poodle has none), so the facts
 * rank words by how often WordNet itself uses them in definitions and examples as well.
 */
final class GlossWordCounts {
    private GlossWordCounts() {}

    static Map<String, Integer> count(List<SynsetEntry> synsets) {
        Map<String, Integer> counts = new HashMap<>(1 << 17);
        StringBuilder word = new StringBuilder();
        for (SynsetEntry synset : synsets) {
            String gloss = synset.gloss();
            for (int i = 0; i <= gloss.length(); i++) {
                char c = i < gloss.length() ? gloss.charAt(i) : ' ';
                if (c < 128 && Character.isLetter(c)) {
                    word.append(Character.toLowerCase(c));
                } else if (!word.isEmpty()) {
                    counts.merge(word.toString(), 1, Integer::sum);
                    word.setLength(0);
                }
            }
        }
        return counts;
    }
}
