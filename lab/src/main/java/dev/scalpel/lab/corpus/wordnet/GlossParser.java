package dev.scalpel.lab.corpus.wordnet;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw WordNet gloss such as
 * {@code a human limb; "he raised his arm"; "the war of the roses"- Shakespeare} into definitions and examples.
 * Semicolons inside quotes belong to the example; text after a closing quote up to the next semicolon is an
 * attribution ("- Will Durant") and is dropped, since it is not part of the sentence.
 */
public final class GlossParser {
    private GlossParser() {}

    public static Gloss parse(String gloss) {
        List<String> definitions = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean afterExample = false;
        int i = 0;
        while (i < gloss.length()) {
            char c = gloss.charAt(i);
            if (c == '"') {
                int close = gloss.indexOf('"', i + 1);
                String example = close < 0 ? gloss.substring(i + 1) : gloss.substring(i + 1, close);
                addIfPresent(examples, cleanExample(example));
                afterExample = true;
                i = close < 0 ? gloss.length() : close + 1;
                continue;
            }
            if (c == ';') {
                if (!afterExample) {
                    addIfPresent(definitions, cleanDefinition(segment.toString()));
                }
                segment.setLength(0);
                afterExample = false;
            } else {
                segment.append(c);
            }
            i++;
        }
        if (!afterExample) {
            addIfPresent(definitions, cleanDefinition(segment.toString()));
        }
        return new Gloss(definitions, examples);
    }

    private static void addIfPresent(List<String> into, String text) {
        if (!text.isEmpty()) {
            into.add(text);
        }
    }

    /** Drops a leading usage label such as "(botany)" or "(of bacteria)": it reads badly inside a sentence. */
    static String cleanDefinition(String raw) {
        String text = normalizeQuotes(raw).strip();
        while (text.startsWith("(")) {
            int close = text.indexOf(')');
            if (close < 0) {
                break;
            }
            text = text.substring(close + 1).strip();
        }
        return text;
    }

    /** Strips ellipses that mark an excerpt, and makes the example a sentence: capital first, closing punctuation. */
    static String cleanExample(String raw) {
        String text = normalizeQuotes(raw).strip();
        while (text.startsWith(".") || text.startsWith(",")) {
            text = text.substring(1).strip();
        }
        while (text.endsWith("...")) {
            text = text.substring(0, text.length() - 3).strip();
        }
        if (text.isEmpty() || !text.chars().anyMatch(Character::isLetter)) {
            return "";
        }
        return dev.scalpel.lab.corpus.english.Sentences.terminate(dev.scalpel.lab.corpus.english.Sentences.capitalize(text));
    }

    /** WordNet marks quoted words with a backtick and an apostrophe (`make strides'); plain apostrophes read better. */
    private static String normalizeQuotes(String text) {
        return text.replace('`', '\'').replaceAll("\\s+", " ");
    }
}
