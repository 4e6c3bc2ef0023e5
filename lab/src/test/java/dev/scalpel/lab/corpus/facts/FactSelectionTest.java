package dev.scalpel.lab.corpus.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selection keeps the most common subjects under a cap per object and drops objects with too few subjects. */
class FactSelectionTest {
    private static Candidate candidate(int i, String object, double score) {
        return new Candidate(Relation.KIND_OF, SynsetId.noun(i), "subject" + i, SynsetId.noun(1_000_000L + Math.floorMod(object.hashCode(), 1000)),
                object, score);
    }

    @Test
    void capsObjectsDropsRareOnesAndKeepsTheBestSubjects() {
        List<Candidate> ranked = new ArrayList<>();
        int i = 0;
        // "dog" has many subjects, "cat" exactly three, "owl" two (too few), spread through the ranking.
        for (int k = 0; k < 10; k++) {
            ranked.add(candidate(i++, "dog", 100 - k));
        }
        ranked.add(candidate(i++, "owl", 95.5));
        ranked.add(candidate(i++, "cat", 95));
        ranked.add(candidate(i++, "owl", 80));
        ranked.add(candidate(i++, "cat", 50));
        ranked.add(candidate(i++, "cat", 40));
        ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
        Profile profile = new Profile("test", 10, 9, 5, 3, 1, 1, 0.05, 0.05, 24, 3);
        List<Candidate> selected = FactSelection.select(ranked, profile);
        Map<String, Integer> perObject = new HashMap<>();
        selected.forEach(c -> perObject.merge(c.object(), 1, Integer::sum));
        assertEquals(Map.of("dog", 5, "cat", 3), perObject);
        // The five dogs kept are the five best-ranked ones.
        assertEquals(List.of(100.0, 99.0, 98.0, 97.0, 96.0),
                selected.stream().filter(c -> c.object().equals("dog")).map(Candidate::score).toList());
        assertTrue(selected.size() <= profile.factsPerRelation());
    }

    @Test
    void stopsAtTheLimitPerRelation() {
        List<Candidate> ranked = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            ranked.add(candidate(k, "object" + (k % 4), 100 - k));
        }
        Profile profile = new Profile("test", 10, 12, 40, 3, 1, 1, 0.05, 0.05, 24, 3);
        List<Candidate> selected = FactSelection.select(ranked, profile);
        assertEquals(12, selected.size());
        assertEquals(ranked.subList(0, 12), selected);
    }
}
