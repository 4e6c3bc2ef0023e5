package dev.scalpel.lab.corpus.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Glosses come apart into definitions and cleaned examples. */
class WordNetGlossParserTest {
    @Test
    void semicolonsInsideQuotesBelongToTheExample() {
        Gloss g = GlossParser.parse("a human limb; used of the arm; \"he raised his arm; then waved\"; \"she hurt it\"");
        assertEquals(List.of("a human limb", "used of the arm"), g.definitions());
        assertEquals(List.of("He raised his arm; then waved.", "She hurt it."), g.examples());
        assertEquals("a human limb; used of the arm", g.definition());
    }

    @Test
    void attributionsEllipsesLabelsAndBackticksAreCleaned() {
        Gloss g = GlossParser.parse("(botany) excessive freedom; lack of due restraint; \"when liberty becomes license"
                + " dictatorship is near\"- Will Durant; \"...was wont to complain...\"; \"calling it a `score'\"");
        assertEquals(List.of("excessive freedom", "lack of due restraint"), g.definitions());
        assertEquals(List.of("When liberty becomes license dictatorship is near.", "Was wont to complain.",
                "Calling it a 'score'."), g.examples());
    }

    @Test
    void examplesEndingInPunctuationKeepIt() {
        Gloss g = GlossParser.parse("an interjection; \"ouch!\"; \"is it?\"; \"\"");
        assertEquals(List.of("Ouch!", "Is it?"), g.examples());
    }

    @Test
    void anUnclosedQuoteIsStillAnExample() {
        Gloss g = GlossParser.parse("a word; \"an example without its closing quote");
        assertEquals(List.of("a word"), g.definitions());
        assertEquals(List.of("An example without its closing quote."), g.examples());
    }
}
