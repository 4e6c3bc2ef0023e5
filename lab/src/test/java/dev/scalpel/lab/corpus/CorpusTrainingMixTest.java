package dev.scalpel.lab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.text.TextDocument;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The training mix: seeded, weighted, in the documented formats, and built from training splits only. */
class CorpusTrainingMixTest {
    private final LabCorpus corpus = CorpusFixtures.tiny();

    private static List<TrainingDocument> take(TrainingMix mix, int n) {
        List<TrainingDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(mix.next());
        }
        return docs;
    }

    @Test
    void sameSeedSameStreamOtherSeedOtherStream() {
        MixWeights w = new MixWeights(1, 1, 1, 0);
        assertEquals(take(new TrainingMix(corpus, w, 3), 400), take(new TrainingMix(corpus, w, 3), 400));
        assertNotEquals(take(new TrainingMix(corpus, w, 3), 400), take(new TrainingMix(corpus, w, 4), 400));
    }

    @Test
    void sourcesFollowTheWeights() {
        Map<Source, Integer> counts = new EnumMap<>(Source.class);
        for (TrainingDocument d : take(new TrainingMix(corpus, new MixWeights(1, 2, 1, 0), 9), 4000)) {
            counts.merge(d.source(), 1, Integer::sum);
        }
        assertEquals(2000, counts.get(Source.FACTS), 150);
        assertEquals(1000, counts.get(Source.TEXT), 150);
        assertEquals(1000, counts.get(Source.ARITHMETIC), 150);
        for (TrainingDocument d : take(new TrainingMix(corpus, new MixWeights(0, 1, 0, 0), 9), 100)) {
            assertEquals(Source.FACTS, d.source());
        }
    }

    @Test
    void documentsUseOnlyTrainingDataInTheDocumentedFormats() {
        Set<String> texts = new HashSet<>(corpus.text().documents().train().stream().map(TextDocument::text).toList());
        Map<String, String> factOfSentence = new HashMap<>();
        for (Fact f : corpus.facts().facts().train()) {
            f.trainingSentences().forEach(s -> factOfSentence.put(s, f.id()));
        }
        Set<String> problems = new HashSet<>();
        for (WordProblem p : corpus.arithmetic().problems().train()) {
            problems.add("Question: " + p.question() + "\nAnswer: " + p.solution());
        }
        for (TrainingDocument d : take(new TrainingMix(corpus, new MixWeights(1, 1, 1, 0), 5), 1500)) {
            switch (d.source()) {
                case TEXT -> assertTrue(texts.contains(d.text()), d.text());
                case ARITHMETIC -> {
                    assertTrue(problems.contains(d.text()), d.text());
                    assertTrue(d.text().matches("(?s)Question: .+\nAnswer: .+ The answer is \\d+\\."), d.text());
                }
                case FACTS -> {
                    Set<String> factsInDocument = new HashSet<>();
                    int sentences = 0;
                    for (String s : factSentences(d.text(), factOfSentence)) {
                        sentences++;
                        assertTrue(factsInDocument.add(factOfSentence.get(s)), "one fact twice in: " + d.text());
                    }
                    assertEquals(TrainingMix.FACT_SENTENCES_PER_DOCUMENT, sentences, d.text());
                }
            }
        }
    }

    @Test
    void onePassDealsEveryFactSentence() {
        List<String> all = corpus.facts().facts().train().stream().flatMap(f -> f.trainingSentences().stream()).toList();
        Map<String, String> factOfSentence = new HashMap<>();
        for (Fact f : corpus.facts().facts().train()) {
            f.trainingSentences().forEach(s -> factOfSentence.put(s, f.id()));
        }
        int documents = (all.size() + TrainingMix.FACT_SENTENCES_PER_DOCUMENT - 1) / TrainingMix.FACT_SENTENCES_PER_DOCUMENT;
        Map<String, Integer> seen = new HashMap<>();
        for (TrainingDocument d : take(new TrainingMix(corpus, new MixWeights(0, 1, 0, 0), 11), documents + 2)) {
            factSentences(d.text(), factOfSentence).forEach(s -> seen.merge(s, 1, Integer::sum));
        }
        for (String s : all) {
            assertTrue(seen.containsKey(s), "never dealt: " + s);
            assertTrue(seen.get(s) <= 2, "dealt " + seen.get(s) + " times in one pass: " + s);
        }
    }

    @Test
    void aWeightedSourceWithoutTrainingDataIsRefused() {
        LabCorpus noFacts = new LabCorpus(corpus.seed(), corpus.profile(), corpus.text(),
                new dev.scalpel.lab.corpus.facts.FactCorpus(new Splits<>(List.of(), List.of(), List.of()), List.of(), List.of()),
                corpus.arithmetic(), corpus.wordNetLicense(), corpus.prose(), corpus.proseLicense());
        Exception e = assertThrows(dev.scalpel.core.ScalpelException.class,
                () -> new TrainingMix(noFacts, new MixWeights(1, 1, 1, 0), 1));
        assertTrue(e.getMessage().contains("facts"), e.getMessage());
        new TrainingMix(noFacts, new MixWeights(1, 0, 1, 0), 1).next();
    }

    /** Splits a fact document back into its sentences by matching known training sentences greedily. */
    private static List<String> factSentences(String document, Map<String, String> known) {
        List<String> sentences = new ArrayList<>();
        int at = 0;
        while (at < document.length()) {
            String match = null;
            for (String s : known.keySet()) {
                if (document.startsWith(s, at) && (match == null || s.length() > match.length())) {
                    match = s;
                }
            }
            assertTrue(match != null, "not a training sentence at " + at + ": " + document);
            sentences.add(match);
            at += match.length();
            if (at < document.length()) {
                assertEquals(' ', document.charAt(at), "sentences are joined by one space");
                at++;
            }
        }
        return sentences;
    }
}
