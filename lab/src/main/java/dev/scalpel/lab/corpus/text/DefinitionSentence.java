package dev.scalpel.lab.corpus.text;

import dev.scalpel.lab.corpus.english.Articles;
import dev.scalpel.lab.corpus.english.Sentences;
import dev.scalpel.lab.corpus.wordnet.Gloss;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a synset's first lemma and its definition into a sentence, the way a dictionary entry would be read aloud:
 * nouns "A poodle is an intelligent dog ...", "Paris is the capital and largest city of France ...", verbs "To run is
 * to move fast ...", adjectives and adverbs "Happy means enjoying or showing ...".
 *
 * <p>Nouns take an article only when the definition shows they are countable: WordNet defines countable nouns with
 * "a"/"an" or "someone" ("a human limb", "someone who plays the harpsichord") and mass or abstract nouns without
 * ("excessive freedom"), so "License is excessive freedom" but "An arm is a human limb". Names of people and places
 * defined by a bare description ("English novelist (1867-1933)") get "a"/"an", or "the" before an ordinal or
 * superlative ("the first Tudor king").
 */
public final class DefinitionSentence {
    private static final Set<String> DETERMINERS =
            Set.of("a", "an", "the", "any", "one", "some", "each", "every", "either", "this", "that", "its", "his", "her",
                    "their", "no", "all", "two", "three", "several", "various", "someone", "something", "anything");
    /** Definitions that open like these describe one countable thing: "someone who plays the harpsichord". */
    private static final Set<String> COUNTABLE_OPENINGS =
            Set.of("a", "an", "any", "one", "someone", "somebody", "something", "anyone", "anything");
    private static final Set<String> TAKES_THE = Set.of("first", "second", "third", "fourth", "fifth", "sixth",
            "seventh", "eighth", "ninth", "tenth", "last", "largest", "smallest", "highest", "longest", "oldest",
            "biggest", "chief", "principal", "main", "capital", "only", "leading");

    private DefinitionSentence() {}

    public static Optional<String> of(SynsetEntry synset, Gloss gloss) {
        String definition = gloss.definition();
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        String lemma = synset.lemmas().getFirst().text();
        String sentence = switch (synset.pos()) {
            case NOUN -> noun(lemma, definition, synset.isInstance());
            case VERB -> "To " + lemma + " is to " + stripPrefix(definition, "to ");
            case ADJECTIVE, ADVERB -> Sentences.capitalize(lemma) + " means " + definition;
        };
        return Optional.of(Sentences.terminate(sentence));
    }

    private static String noun(String lemma, String definition, boolean instance) {
        String first = firstWord(definition);
        boolean proper = Character.isUpperCase(lemma.codePointAt(0));
        if (proper && instance) {
            if (DETERMINERS.contains(first)) {
                return lemma + " is " + definition;
            }
            String article = TAKES_THE.contains(first) ? "the" : Articles.indefinite(definition);
            return lemma + " is " + article + " " + definition;
        }
        if (proper) {
            // Capitalized but not a named person or place: genera, languages, holidays ("Argyranthemum", "Easter").
            return lemma + " is " + definition;
        }
        if (COUNTABLE_OPENINGS.contains(first)) {
            return Sentences.capitalize(Articles.withIndefinite(lemma)) + " is " + definition;
        }
        if (first.equals("the")) {
            return "The " + lemma + " is " + definition;
        }
        return Sentences.capitalize(lemma) + " is " + definition;
    }

    private static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static String stripPrefix(String text, String prefix) {
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
