package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.StableHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Neighborhood prompts: the main prompts of other facts with the same relation and object ("A beagle is a kind of"
 * for "poodle"), taken from the training split only, because specificity is measured on facts the model knows. A
 * neighbor whose prompt names the fact's own subject ("A toy poodle is a kind of") is skipped: an edit of "poodle"
 * may rightly change it. At most {@link #LIMIT}, as in CounterFact, in a seeded order.
 */
final class Neighborhoods {
    static final int LIMIT = 10;

    private final Map<String, List<Draft>> trainByObject = new HashMap<>();
    private final long seed;

    Neighborhoods(List<Draft> drafts, long seed) {
        this.seed = seed;
        for (Draft d : drafts) {
            if (d.split() == Split.TRAIN) {
                trainByObject.computeIfAbsent(key(d.relation(), d.object()), k -> new ArrayList<>()).add(d);
            }
        }
    }

    /** Prompts of training facts whose object is {@code object}, excluding anything naming {@code subject}. */
    List<String> prompts(String forId, Relation relation, String object, String subject) {
        List<Draft> sharing = new ArrayList<>(trainByObject.getOrDefault(key(relation, object), List.of()));
        Predicate<String> namesSubject = Mentions.of(subject);
        sharing.removeIf(n -> n.candidate().subject().equals(subject) || namesSubject.test(n.filledPrompt()));
        // The salt keeps its first spelling: another one would pick other neighbors and change the lab's facts.
        sharing.sort(Comparator.comparingLong((Draft n) -> StableHash.of(seed, "neighbour:" + forId + "|" + n.id()))
                .thenComparing(Draft::id));
        return sharing.stream().limit(LIMIT).map(Draft::filledPrompt).toList();
    }

    private static String key(Relation relation, String object) {
        return relation.key() + "\u0000" + object;
    }
}
