package dev.scalpel.lab.corpus.facts;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Whether a text names a subject as a whole word ("oak" is in "A live oak is", not in "An oaken ..."). */
final class Mentions {
    private Mentions() {}

    static boolean mentions(String text, String subject) {
        return of(subject).test(text);
    }

    /** A reusable test for one subject, compiled once. */
    static Predicate<String> of(String subject) {
        return Pattern.compile("(?<![A-Za-z])" + Pattern.quote(subject) + "(?![A-Za-z])", Pattern.CASE_INSENSITIVE)
                .asPredicate();
    }
}
