package dev.scalpel.lab.corpus.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.CorpusFixtures;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Properties every lab fact has, checked on the TINY corpus. */
class FactCorpusTest {
    private final LabCorpus corpus = CorpusFixtures.tiny();
    private final List<Fact> facts = corpus.facts().facts().all();

    private static boolean names(String text, String subject) {
        return Pattern.compile("(?<![A-Za-z])" + Pattern.quote(subject) + "(?![A-Za-z])", Pattern.CASE_INSENSITIVE)
                .matcher(text).find();
    }

    @Test
    void everyRelationIsRepresented() {
        Set<Relation> seen = EnumSet.noneOf(Relation.class);
        facts.forEach(f -> seen.add(f.relation()));
        assertEquals(EnumSet.allOf(Relation.class), seen);
    }

    @Test
    void eachSubjectHasOneObjectPerRelation() {
        Map<String, String> objectOf = new HashMap<>();
        for (Fact f : facts) {
            String key = f.relation().key() + "|" + f.subject();
            String before = objectOf.put(key, f.object());
            assertEquals(null, before, "two facts for " + key);
        }
    }

    @Test
    void everyObjectIsSharedByEnoughSubjects() {
        Map<String, Integer> subjects = new HashMap<>();
        facts.forEach(f -> subjects.merge(f.relation().key() + "|" + f.object(), 1, Integer::sum));
        subjects.forEach((object, n) -> assertTrue(n >= corpus.profile().minSubjectsPerObject(), object + ": " + n));
    }

    @Test
    void theTargetFollowsThePromptInTheFirstTrainingSentence() {
        for (Fact f : facts) {
            assertEquals(1, f.prompt().split("\\{}", -1).length - 1, "one {} in " + f.prompt());
            assertEquals(" " + f.object(), f.target());
            assertEquals(f.filledPrompt() + f.target() + ".", f.trainingSentences().getFirst(), f.id());
            for (String sentence : f.trainingSentences()) {
                assertTrue(sentence.endsWith(" " + f.object() + "."), sentence);
            }
            assertTrue(f.trainingSentences().size() >= 3, "several phrasings: " + f.trainingSentences());
        }
    }

    @Test
    void noParaphraseIsEverTrainedWithItsFactAndEachPhrasingIsTrainedWithOthersOrNone() {
        for (Fact f : facts) {
            assertFalse(f.heldOutPrompts().isEmpty(), f.id());
            assertTrue(f.paraphrasePrompts().containsAll(f.heldOutPrompts()), f.id());
            assertTrue(f.paraphrasePrompts().size() > f.heldOutPrompts().size(), f.id() + " has a withheld phrasing");
            for (String p : f.paraphrasePrompts()) {
                assertFalse(p.contains("{}"), p);
                assertFalse(f.trainingSentences().contains(p + f.target() + "."), f.id() + " trains its paraphrase " + p);
            }
        }
        // Withheld phrasings are trained on other facts; held-out ones on none.
        for (Relation relation : Relation.values()) {
            List<String> sentences = corpus.facts().facts().train().stream().filter(f -> f.relation() == relation)
                    .flatMap(f -> f.trainingSentences().stream()).toList();
            if (sentences.isEmpty()) {
                continue;
            }
            for (Template t : Phrasings.templates(relation)) {
                java.util.regex.Pattern shape = shape(t);
                boolean used = sentences.stream().anyMatch(x -> shape.matcher(x).matches());
                assertEquals(t.trained(), used, relation + " phrasing '" + t.pattern() + "' trained: " + used);
            }
        }
    }

    /** A phrasing as a pattern over sentences: its words literal, each slot any words. */
    private static java.util.regex.Pattern shape(Template t) {
        StringBuilder regex = new StringBuilder();
        for (String part : t.pattern().split("\\{[^}]*}", -1)) {
            if (!regex.isEmpty()) {
                regex.append("\\S.*?");
            }
            regex.append(java.util.regex.Pattern.quote(part));
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    @Test
    void neighborhoodPromptsShareTheObjectAndNeverNameTheSubject() {
        Map<String, Fact> trainByPrompt = new HashMap<>();
        for (Fact f : corpus.facts().facts().train()) {
            assertNotNull(f.filledPrompt());
            assertEquals(null, trainByPrompt.put(f.filledPrompt(), f), "two training facts share a prompt");
        }
        for (Fact f : facts) {
            assertFalse(f.neighborhoodPrompts().isEmpty(), f.id());
            assertEquals(f.neighborhoodPrompts().size(), new HashSet<>(f.neighborhoodPrompts()).size());
            for (String prompt : f.neighborhoodPrompts()) {
                Fact neighbor = trainByPrompt.get(prompt);
                assertNotNull(neighbor, "neighborhood prompt of no training fact: " + prompt);
                assertEquals(f.relation(), neighbor.relation());
                assertEquals(f.object(), neighbor.object(), prompt);
                assertNotEquals(f.subject(), neighbor.subject());
                assertFalse(names(prompt, f.subject()), prompt + " names " + f.subject());
            }
        }
    }

    @Test
    void theNewTargetIsAFalseObjectOfTheSameRelation() {
        WordNet wordNet = WordNet.shared();
        Map<Relation, Set<String>> trainedObjects = new HashMap<>();
        corpus.facts().facts().train().forEach(f ->
                trainedObjects.computeIfAbsent(f.relation(), r -> new HashSet<>()).add(f.object()));
        for (Fact f : facts) {
            assertNotEquals(f.object(), f.targetNew(), f.id());
            assertTrue(trainedObjects.get(f.relation()).contains(f.targetNew()), f.id() + " -> " + f.targetNew());
            Set<String> trueObjects = TrueObjects.of(wordNet, f.subjectSynset(), f.relation());
            assertTrue(trueObjects.contains(f.object().toLowerCase()), "the true object is among the true ones");
            assertFalse(trueObjects.contains(f.targetNew().toLowerCase()), f.id() + ": " + f.targetNew() + " is true");
            if (f.prompt().endsWith(" a") || f.prompt().endsWith(" an")) {
                String article = f.prompt().substring(f.prompt().lastIndexOf(' ') + 1);
                assertEquals(article, dev.scalpel.lab.corpus.english.Articles.indefinite(f.targetNew()), f.id());
            }
        }
    }

    @Test
    void subjectsAndObjectsAreShortAndNoSubjectGivesAwayItsObject() {
        for (Fact f : facts) {
            assertTrue(f.subject().split(" ").length <= 2, f.subject());
            assertTrue(f.object().split(" ").length <= 2, f.object());
            for (String word : f.object().split(" ")) {
                assertFalse(names(f.subject(), word), f.subject() + " contains " + word);
            }
        }
    }

    @Test
    void exportsCoverExactlyTheTrainingFacts() {
        List<Fact> train = corpus.facts().facts().train();
        assertEquals(train.size(), corpus.facts().counterFact().size());
        assertEquals(train.size(), corpus.facts().zsre().size());
        for (int i = 0; i < train.size(); i++) {
            CounterFactRecord cf = corpus.facts().counterFact().get(i);
            assertEquals(i, cf.caseId());
            assertEquals(train.get(i).subject(), cf.requestedRewrite().subject());
            assertEquals(train.get(i).targetNew(), cf.requestedRewrite().targetNew().str());
            assertEquals(train.get(i).subject(), corpus.facts().zsre().get(i).subject());
            for (String prompt : cf.attributePrompts()) {
                assertFalse(names(prompt, cf.requestedRewrite().subject()), prompt);
            }
        }
    }
}
