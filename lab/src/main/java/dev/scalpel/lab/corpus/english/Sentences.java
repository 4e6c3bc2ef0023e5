package dev.scalpel.lab.corpus.english;

/** Capitalization and end punctuation for generated sentences. */
public final class Sentences {
    private Sentences() {}

    /** Upper-cases the first character and leaves the rest alone ("iPhone"-style words are rare in WordNet). */
    public static String capitalize(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int first = text.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
                .append(text, Character.charCount(first), text.length()).toString();
    }

    /** Ends the text with a full stop unless it already ends with one, a question mark or an exclamation mark. */
    public static String terminate(String text) {
        String stripped = text.strip();
        while (stripped.endsWith(",") || stripped.endsWith(";") || stripped.endsWith(":")) {
            stripped = stripped.substring(0, stripped.length() - 1).strip();
        }
        if (stripped.endsWith(".") || stripped.endsWith("?") || stripped.endsWith("!")) {
            return stripped;
        }
        if (stripped.endsWith(".'") || stripped.endsWith("?'") || stripped.endsWith("!'")) {
            return stripped;
        }
        return stripped + ".";
    }
}
