package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which candidates of one relation become facts, in one pass down the ranking: an object's subjects wait
 * until {@link Profile#minSubjectsPerObject()} of them have been seen, then all join at once; later subjects of an
 * object that has joined are taken directly, up to {@link Profile#maxSubjectsPerObject()}; nothing joins past
 * {@link Profile#factsPerRelation()}. So the most common subjects come first, every object kept has enough subjects
 * for neighborhood prompts, and no object crowds out the others.
 */
public final class FactSelection {
    private FactSelection() {}

    /**
     * @param ranked candidates of one relation, most common subject first
     * @return the selection in ranking order
     */
    public static List<Candidate> select(List<Candidate> ranked, Profile profile) {
        int limit = profile.factsPerRelation();
        int min = profile.minSubjectsPerObject();
        Map<String, List<Candidate>> waiting = new HashMap<>();
        Map<String, Integer> joined = new HashMap<>();
        List<Candidate> accepted = new ArrayList<>();
        for (Candidate c : ranked) {
            if (accepted.size() >= limit) {
                break;
            }
            Integer members = joined.get(c.object());
            if (members != null) {
                if (members < profile.maxSubjectsPerObject()) {
                    joined.put(c.object(), members + 1);
                    accepted.add(c);
                }
                continue;
            }
            List<Candidate> queue = waiting.computeIfAbsent(c.object(), k -> new ArrayList<>());
            queue.add(c);
            if (queue.size() == min && accepted.size() + min <= limit) {
                accepted.addAll(queue);
                joined.put(c.object(), min);
                waiting.remove(c.object());
            }
        }
        Map<Candidate, Integer> rank = new HashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            rank.put(ranked.get(i), i);
        }
        accepted.sort(Comparator.comparing(rank::get));
        return accepted;
    }
}
