package dev.scalpel.lab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpus;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.text.TextDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** No item is on two sides of a split, by the key each corpus is split on. */
class CorpusSplitsTest {
    private final LabCorpus corpus = CorpusFixtures.tiny();

    private static <T, K> void assertDisjoint(Splits<T> splits, Function<T, K> key, String what, boolean uniqueWithin) {
        List<Set<K>> keys = new ArrayList<>();
        for (Split split : Split.values()) {
            List<K> list = splits.get(split).stream().map(key).toList();
            Set<K> set = new HashSet<>(list);
            if (uniqueWithin) {
                assertEquals(list.size(), set.size(), what + " repeated within " + split);
            }
            keys.add(set);
        }
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                Set<K> both = new HashSet<>(keys.get(i));
                both.retainAll(keys.get(j));
                assertTrue(both.isEmpty(), what + " in " + Split.values()[i] + " and " + Split.values()[j] + ": " + both);
            }
        }
    }

    @Test
    void textIsSplitBySynset() {
        assertDisjoint(corpus.text().documents(), TextDocument::synset, "synset", true);
        assertFalse(corpus.text().documents().validation().isEmpty());
        assertFalse(corpus.text().documents().test().isEmpty());
    }

    @Test
    void factsAreSplitByIdAndSubjectSynsetLikeTheText() {
        assertDisjoint(corpus.facts().facts(), Fact::id, "fact id", true);
        // A subject can have facts in several relations (Paris: instance_of and located_in), all in one split.
        assertDisjoint(corpus.facts().facts(), Fact::subjectSynset, "subject synset", false);
        SplitAssigner assigner = SplitAssigner.of(corpus.seed(), corpus.profile());
        for (Split split : Split.values()) {
            for (Fact f : corpus.facts().facts().get(split)) {
                assertEquals(split, assigner.assign(f.subjectSynset().toString()), f.id() + " is where its gloss is");
            }
        }
    }

    @Test
    void arithmeticQuestionsAndHeldOutCombinationsStayOutOfTraining() {
        Splits<WordProblem> problems = corpus.arithmetic().problems();
        assertDisjoint(problems, WordProblem::question, "question", true);
        Set<String> heldOut = corpus.arithmetic().heldOutCombinations();
        assertFalse(heldOut.isEmpty());
        for (WordProblem p : problems.train()) {
            assertFalse(heldOut.contains(ArithmeticCorpus.combinationKey(p)), "training problem uses a held-out"
                    + " combination: " + p.question());
        }
        Set<String> trainCombinations = new HashSet<>(problems.train().stream().map(ArithmeticCorpus::combinationKey).toList());
        for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
            for (WordProblem p : problems.get(split)) {
                String key = ArithmeticCorpus.combinationKey(p);
                assertTrue(heldOut.contains(key), key);
                assertFalse(trainCombinations.contains(key), "held-out problem's numbers were trained on: " + key);
            }
        }
    }

    @Test
    void splitAssignmentDependsOnlyOnSeedAndKey() {
        SplitAssigner a = new SplitAssigner(5, 0.1, 0.1);
        SplitAssigner b = new SplitAssigner(5, 0.1, 0.1);
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            assertEquals(a.assign("k" + i), b.assign("k" + i));
            held += a.assign("k" + i) == Split.TRAIN ? 0 : 1;
        }
        assertTrue(held > 1700 && held < 2300, "about 20% held out: " + held);
    }
}
