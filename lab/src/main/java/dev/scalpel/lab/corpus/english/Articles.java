package dev.scalpel.lab.corpus.english;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** "a" or "an" by the sound the next word starts with, which the spelling mostly but not always tells. */
public final class Articles {
    /** Vowel letters that sound like a consonant ("a unicorn", "a European", "a one-way street"). */
    private static final List<String> CONSONANT_SOUNDING =
            List.of("uni", "use", "usu", "uti", "ure", "uro", "ubi", "eu", "ewe", "one", "once", "ukr", "uga");
    /** Words whose h is silent ("an hour"). */
    private static final Set<String> SILENT_H = Set.of("hour", "hours", "honest", "honor", "honour", "heir", "heiress");

    private Articles() {}

    /** "a" or "an" for the phrase that follows it. */
    public static String indefinite(String phrase) {
        String word = phrase.strip().toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            throw new IllegalArgumentException("no word to choose an article for");
        }
        String first = word.split("[ -]")[0];
        if (SILENT_H.contains(first)) {
            return "an";
        }
        if ("aeiou".indexOf(word.charAt(0)) < 0) {
            return "a";
        }
        for (String prefix : CONSONANT_SOUNDING) {
            if (word.startsWith(prefix)) {
                return "a";
            }
        }
        return "an";
    }

    /** The phrase with its indefinite article: "an owl", "a unicorn". */
    public static String withIndefinite(String phrase) {
        return indefinite(phrase) + " " + phrase;
    }
}
