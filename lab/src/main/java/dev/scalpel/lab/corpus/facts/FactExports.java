package dev.scalpel.lab.corpus.facts;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.lab.corpus.StableHash;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Writes training facts as CounterFact and zsRE records. */
final class FactExports {
    private FactExports() {}

    static CounterFactRecord counterFact(int caseId, Fact fact, String targetNewId, List<String> attributePrompts,
            List<String> generationPrompts) {
        return new CounterFactRecord(caseId, -1,
                new CounterFactRecord.RequestedRewrite(fact.prompt(), fact.relationId(),
                        new CounterFactRecord.Target(fact.targetNew(), targetNewId),
                        new CounterFactRecord.Target(fact.object(), fact.objectSynset().toString()),
                        fact.subject()),
                fact.paraphrasePrompts(), fact.neighborhoodPrompts(), attributePrompts, generationPrompts);
    }

    /**
     * @param rephrase the question in other words
     * @param unrelated the training facts to draw {@code loc} from: one with another relation, subject and object
     */
    static ZsreRecord zsre(Fact fact, String rephrase, List<Fact> unrelated, long seed) {
        Fact loc = unrelatedFact(fact, unrelated, seed);
        String locQuestion = loc.question().substring(0, loc.question().length() - 1);
        locQuestion = locQuestion.substring(0, 1).toLowerCase(Locale.ROOT) + locQuestion.substring(1);
        return new ZsreRecord(fact.subject(), fact.question(), fact.object(), rephrase, fact.targetNew(),
                List.of(fact.object()), ZsreRecord.LOC_PREFIX + locQuestion, loc.object(),
                fact.object() + " >> " + fact.targetNew() + " || " + fact.question());
    }

    /**
     * Prefers a fact of another relation, else any with another subject and object; probes from a seeded start so the
     * choice is deterministic without scanning every fact for every fact.
     */
    private static Fact unrelatedFact(Fact fact, List<Fact> facts, long seed) {
        Predicate<String> namesSubject = Mentions.of(fact.subject());
        int n = facts.size();
        int start = n == 0 ? 0 : (int) Math.floorMod(StableHash.of(seed, "zsre-loc:" + fact.id()), (long) n);
        for (boolean requireOtherRelation : new boolean[] {true, false}) {
            for (int k = 0; k < n; k++) {
                Fact f = facts.get((start + k) % n);
                if (f.subject().equals(fact.subject()) || f.object().equals(fact.object())
                        || namesSubject.test(f.question())
                        || (requireOtherRelation && f.relation() == fact.relation())) {
                    continue;
                }
                return f;
            }
        }
        throw new ScalpelException("zsRE export: no unrelated training fact for the locality"
                + " question of " + fact.id());
    }
}
