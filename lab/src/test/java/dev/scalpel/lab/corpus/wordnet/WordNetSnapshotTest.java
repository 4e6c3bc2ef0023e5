package dev.scalpel.lab.corpus.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot holds WordNet 3.1 as shipped: sizes, known relations, senses, plurals, license. */
class WordNetSnapshotTest {
    private final WordNet wordNet = WordNet.shared();

    private List<String> lemmas(SynsetId id) {
        return wordNet.synset(id).lemmas().stream().map(Lemma::text).toList();
    }

    @Test
    void holdsEverySynsetOfWordNet31() {
        assertEquals(117_791, wordNet.synsets().size());
        for (PartOfSpeech pos : PartOfSpeech.values()) {
            assertTrue(wordNet.synsets().stream().anyMatch(s -> s.pos() == pos), pos.name());
        }
        assertEquals(wordNet.synsets().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList(), wordNet.synsets());
    }

    @Test
    void knowsThatAPoodleIsADogAndParisIsInFrance() {
        SynsetId poodle = wordNet.firstNounSense("poodle").orElseThrow();
        SynsetId dog = wordNet.synset(poodle).targets(Link.HYPERNYM).getFirst();
        assertTrue(lemmas(dog).contains("dog"), lemmas(dog).toString());
        assertTrue(wordNet.synset(poodle).gloss().startsWith("an intelligent dog with a heavy curly"));

        SynsetEntry paris = wordNet.synset(wordNet.firstNounSense("Paris").orElseThrow());
        assertEquals("noun.location", paris.lexFile());
        assertTrue(paris.isInstance());
        assertTrue(lemmas(paris.targets(Link.INSTANCE_HYPERNYM).getFirst()).contains("national capital"));
        assertTrue(paris.targets(Link.PART_HOLONYM).stream().anyMatch(t -> lemmas(t).contains("France")));
    }

    @Test
    void firstSensesPluralsFrequenciesAndLicense() {
        SynsetEntry dog = wordNet.synset(wordNet.firstNounSense("Dog").orElseThrow());
        assertTrue(dog.gloss().contains("genus Canis"), "the usual sense of dog is the animal: " + dog.gloss());
        assertTrue(dog.lemmas().getFirst().useCount() > 0);
        assertEquals(List.of("wolves"), wordNet.irregularPlurals("wolf"));
        assertEquals(List.of(), wordNet.irregularPlurals("poodle"));
        assertTrue(wordNet.glossCount("dog") > wordNet.glossCount("poodle"));
        assertTrue(wordNet.glossCount("Dog") > 100);
        assertTrue(wordNet.license().contains("WordNet 3.1 Copyright 2011 by Princeton University.  All rights reserved."));
    }

    @Test
    void synsetIdsReadLikeWordNetsOwn() {
        assertEquals("02115987-n", SynsetId.noun(2115987).toString());
        assertEquals("00001740-a", new SynsetId(PartOfSpeech.ADJECTIVE, 1740).toString());
        assertThrows(IllegalArgumentException.class, () -> new SynsetId(PartOfSpeech.NOUN, -1));
    }

    @Test
    void aHandMadeSnapshotCountsGlossWordsAndRefusesUnknownIds() {
        SynsetEntry a = new SynsetEntry(SynsetId.noun(1), List.of(new Lemma("cat", 3)), "a small cat; \"the cat sat\"",
                "noun.animal", Map.of());
        WordNet small = new WordNet(List.of(a), Map.of("cat", a.id()), Map.of(), "license");
        assertEquals(2, small.glossCount("cat"));
        assertEquals(a.id(), small.firstNounSense("CAT").orElseThrow());
        ScalpelException e = assertThrows(ScalpelException.class, () -> small.synset(SynsetId.noun(2)));
        assertTrue(e.getMessage().contains("00000002-n"), e.getMessage());
        assertThrows(ScalpelException.class, () -> new WordNet(List.of(a, a), Map.of(), Map.of(), ""));
    }
}
