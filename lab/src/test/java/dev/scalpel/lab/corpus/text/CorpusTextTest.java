package dev.scalpel.lab.corpus.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.CorpusFixtures;
import dev.scalpel.lab.corpus.wordnet.Lemma;
import dev.scalpel.lab.corpus.wordnet.Link;
import dev.scalpel.lab.corpus.wordnet.PartOfSpeech;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Definition sentences read as English, and documents are definition plus examples. */
class CorpusTextTest {
    private static SynsetEntry synset(PartOfSpeech pos, String lemma, String gloss, boolean instance) {
        Map<Link, List<SynsetId>> links = instance ? Map.of(Link.INSTANCE_HYPERNYM, List.of(SynsetId.noun(9))) : Map.of();
        return new SynsetEntry(new SynsetId(pos, 1), List.of(new Lemma(lemma, 0)), gloss, "noun.test", links);
    }

    private static String text(PartOfSpeech pos, String lemma, String gloss, boolean instance) {
        return TextCorpusBuilder.document(synset(pos, lemma, gloss, instance)).orElseThrow().text();
    }

    @Test
    void nounsTakeAnArticleOnlyWhenTheDefinitionIsCountable() {
        assertEquals("A poodle is an intelligent dog with a heavy curly coat. The poodle barked.",
                text(PartOfSpeech.NOUN, "poodle", "an intelligent dog with a heavy curly coat; \"the poodle barked\"", false));
        assertEquals("An owl is a nocturnal bird of prey.", text(PartOfSpeech.NOUN, "owl", "a nocturnal bird of prey", false));
        assertEquals("License is excessive freedom.", text(PartOfSpeech.NOUN, "license", "excessive freedom", false));
        assertEquals("A harpsichordist is someone who plays the harpsichord.",
                text(PartOfSpeech.NOUN, "harpsichordist", "someone who plays the harpsichord", false));
        assertEquals("The sun is the star that is the source of light.",
                text(PartOfSpeech.NOUN, "sun", "the star that is the source of light", false));
    }

    @Test
    void namesOfPeopleAndPlacesGetAnArticleBeforeABareDescription() {
        assertEquals("Paris is the capital and largest city of France.",
                text(PartOfSpeech.NOUN, "Paris", "the capital and largest city of France", true));
        assertEquals("Galsworthy is an English novelist (1867-1933).",
                text(PartOfSpeech.NOUN, "Galsworthy", "English novelist (1867-1933)", true));
        assertEquals("Henry VII is the first Tudor king of England.",
                text(PartOfSpeech.NOUN, "Henry VII", "first Tudor king of England", true));
        assertEquals("Argyranthemum is plants often included in the genus Chrysanthemum.",
                text(PartOfSpeech.NOUN, "Argyranthemum", "plants often included in the genus Chrysanthemum", false));
    }

    @Test
    void verbsAdjectivesAndAdverbsReadAsDefinitions() {
        assertEquals("To run is to move fast by using one's feet. Don't run!",
                text(PartOfSpeech.VERB, "run", "move fast by using one's feet; \"Don't run!\"", false));
        assertEquals("Happy means enjoying or showing joy.", text(PartOfSpeech.ADJECTIVE, "happy", "enjoying or showing joy", false));
        assertEquals("Barely means only a very short time before. We hardly knew them.",
                text(PartOfSpeech.ADVERB, "barely", "only a very short time before; \"we hardly knew them\"", false));
    }

    @Test
    void aGlossWithNothingToSayMakesNoDocument() {
        assertEquals(Optional.empty(), TextCorpusBuilder.document(synset(PartOfSpeech.NOUN, "x", "", false)));
    }

    @Test
    void theTinyCorpusSamplesEveryPartOfSpeech() {
        var documents = CorpusFixtures.tiny().text().documents().all();
        for (PartOfSpeech pos : PartOfSpeech.values()) {
            assertTrue(documents.stream().anyMatch(d -> d.synset().pos() == pos), pos.name());
        }
        assertTrue(documents.stream().allMatch(d -> Character.isUpperCase(d.text().codePointAt(0))
                || !Character.isLetter(d.text().codePointAt(0))));
    }
}
