package dev.scalpel.lab.corpus.english;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * English plurals of nouns. Regular ones follow the spelling rules; any noun WordNet lists an irregular form for gets
 * no plural at all, because the list also holds archaic or technical forms (brother: "brethren", penny: "pence",
 * genius: "genii") that would be wrong in ordinary sentences.
 */
public final class Plurals {
    private Plurals() {}

    /**
     * @param lemma             a singular noun, one or more words (the last word is inflected)
     * @param irregularForms    the irregular plurals WordNet lists for it
     * @return the plural, or empty when it is not safe to form one
     */
    public static Optional<String> of(String lemma, List<String> irregularForms) {
        if (!irregularForms.isEmpty() || lemma.isBlank()) {
            return Optional.empty();
        }
        int space = lemma.lastIndexOf(' ');
        String head = lemma.substring(space + 1);
        String lower = head.toLowerCase(Locale.ROOT);
        // "-man" nouns split between chairmen and humans; "-s" nouns are often already plural or mass (news, physics).
        if (lower.endsWith("man") || lower.endsWith("s") || lower.length() < 2) {
            return Optional.empty();
        }
        String plural;
        if (lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch") || lower.endsWith("sh")) {
            plural = head + "es";
        } else if (lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            plural = head.substring(0, head.length() - 1) + "ies";
        } else {
            plural = head + "s";
        }
        return Optional.of(lemma.substring(0, space + 1) + plural);
    }
}
