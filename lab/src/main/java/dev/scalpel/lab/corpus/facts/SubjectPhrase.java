package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.english.Articles;
import dev.scalpel.lab.corpus.english.Sentences;
import java.util.Optional;

/**
 * How a subject is written in the positions templates put it. Common nouns carry their article ("A poodle", "an owl",
 * "the poodle", "Poodles"); names stand alone ("Paris"). {@link #placeholder()} keeps the article but writes "{}" for
 * the subject, which is how CounterFact prompts mark the subject ("An {} is a kind of").
 *
 * @param text    the subject as it appears in the record ("poodle", "Paris"), or "{}"
 * @param proper  whether it is a name
 * @param article "a" or "an" for common nouns, chosen from the real subject even when {@code text} is "{}"
 * @param plural  the plural for common nouns whose plural is certain
 */
public record SubjectPhrase(String text, boolean proper, String article, Optional<String> plural) {
    public static SubjectPhrase of(String subject, boolean proper, Optional<String> plural) {
        return new SubjectPhrase(subject, proper, proper ? "" : Articles.indefinite(subject), plural);
    }

    public SubjectPhrase placeholder() {
        return new SubjectPhrase("{}", proper, article, Optional.empty());
    }

    /** "a poodle" / "Paris". */
    public String indefinite() {
        return proper ? text : article + " " + text;
    }

    /** "the poodle" / "Paris". */
    public String definite() {
        return proper ? text : "the " + text;
    }

    /** "A poodle" / "Paris" at the start of a sentence. */
    public String indefiniteStart() {
        return Sentences.capitalize(indefinite());
    }

    /** "The poodle" / "Paris" at the start of a sentence. */
    public String definiteStart() {
        return Sentences.capitalize(definite());
    }
}
