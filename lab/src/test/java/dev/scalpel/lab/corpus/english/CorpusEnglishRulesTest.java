package dev.scalpel.lab.corpus.english;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Articles, plurals, names that need "the", and sentence edges. */
class CorpusEnglishRulesTest {
    @Test
    void articleFollowsTheSoundNotJustTheLetter() {
        assertEquals("an owl", Articles.withIndefinite("owl"));
        assertEquals("a poodle", Articles.withIndefinite("poodle"));
        assertEquals("a unicorn", Articles.withIndefinite("unicorn"));
        assertEquals("a European country", Articles.withIndefinite("European country"));
        assertEquals("an hour", Articles.withIndefinite("hour"));
        assertEquals("an umbrella", Articles.withIndefinite("umbrella"));
        assertEquals("an American state", Articles.withIndefinite("American state"));
        assertEquals("a one-way street", Articles.withIndefinite("one-way street"));
    }

    @Test
    void pluralsFollowTheRulesAndDeclineWhenUnsure() {
        assertEquals(Optional.of("boxes"), Plurals.of("box", List.of()));
        assertEquals(Optional.of("cities"), Plurals.of("city", List.of()));
        assertEquals(Optional.of("days"), Plurals.of("day", List.of()));
        assertEquals(Optional.of("churches"), Plurals.of("church", List.of()));
        assertEquals(Optional.of("sea lions"), Plurals.of("sea lion", List.of()));
        assertEquals(Optional.empty(), Plurals.of("wolf", List.of("wolves")));
        assertEquals(Optional.empty(), Plurals.of("chairman", List.of()));
        assertEquals(Optional.empty(), Plurals.of("news", List.of()));
    }

    @Test
    void placeNamesThatNeedTheAreRecognized() {
        assertTrue(ProperNames.needsArticle("United States"));
        assertTrue(ProperNames.needsArticle("Canary Islands"));
        assertTrue(ProperNames.needsArticle("Netherlands"));
        assertFalse(ProperNames.needsArticle("Paris"));
        assertFalse(ProperNames.needsArticle("New York"));
    }

    @Test
    void sentencesStartWithACapitalAndEndWithOneStop() {
        assertEquals("The dog barked.", Sentences.terminate(Sentences.capitalize("the dog barked")));
        assertEquals("Is it?", Sentences.terminate("Is it?"));
        assertEquals("A list.", Sentences.terminate("A list;"));
        assertEquals("", Sentences.capitalize(""));
    }
}
