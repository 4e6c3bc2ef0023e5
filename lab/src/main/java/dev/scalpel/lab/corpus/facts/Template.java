package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.english.Articles;
import dev.scalpel.lab.corpus.english.Sentences;

/**
 * One phrasing of a relation, with the object last so that every phrasing is also a cloze prompt. Slots:
 * {@code {S}} / {@code {s}} the subject with its indefinite article at / after the start of a sentence,
 * {@code {The S}} / {@code {the s}} with the definite article, {@code {SS}} the plural at the start of a sentence,
 * and the object at the very end as {@code {o}} (bare) or {@code {a o}} (with "a"/"an", which then belongs to the
 * prompt: "Paris is a" + " national capital").
 *
 * @param pattern  the sentence with slots, ending in "{o}." or "{a o}."
 * @param trained  whether sentences in this phrasing are in the training data; the held-out phrasing tests whether a
 *                 model learned the fact rather than the sentence
 */
public record Template(String pattern, boolean trained) {
    private static final String OBJECT = "{o}.";
    private static final String OBJECT_WITH_ARTICLE = "{a o}.";

    public Template {
        if (!pattern.endsWith(OBJECT) && !pattern.endsWith(OBJECT_WITH_ARTICLE)) {
            throw new IllegalArgumentException("template '" + pattern + "' must end with the object slot");
        }
    }

    public boolean needsPlural() {
        return pattern.contains("{SS}");
    }

    /** Whether the object's article is part of the prompt, so a replacement object must take the same article. */
    public boolean objectArticleInPrompt() {
        return pattern.endsWith(OBJECT_WITH_ARTICLE);
    }

    public boolean appliesTo(SubjectPhrase subject) {
        return !needsPlural() || subject.plural().isPresent();
    }

    /** The text before the object, without the space: "A poodle is a kind of", "Paris is a". */
    public String prompt(SubjectPhrase subject, String object) {
        String body = pattern.substring(0, pattern.lastIndexOf('{')).stripTrailing();
        String filled = fillSubject(body, subject);
        if (objectArticleInPrompt()) {
            filled = filled + " " + Articles.indefinite(object);
        }
        return filled;
    }

    /** The whole sentence: prompt, a space, the object, a full stop. */
    public String sentence(SubjectPhrase subject, String object) {
        return prompt(subject, object) + " " + object + ".";
    }

    private static String fillSubject(String body, SubjectPhrase subject) {
        String plural = subject.plural().map(Sentences::capitalize).orElse("{SS}");
        return body.replace("{SS}", plural)
                .replace("{The S}", subject.definiteStart())
                .replace("{the s}", subject.definite())
                .replace("{S}", subject.indefiniteStart())
                .replace("{s}", subject.indefinite());
    }

    /** Fills a question or generation prompt, which uses the same subject slots but has no object. */
    static String fillText(String text, SubjectPhrase subject) {
        return fillSubject(text, subject);
    }
}
