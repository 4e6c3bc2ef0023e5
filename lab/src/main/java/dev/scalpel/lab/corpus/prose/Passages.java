package dev.scalpel.lab.corpus.prose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts a document into passages of whole sentences. The addresses come as one line each, so sentences are found by
 * their end punctuation followed by space and a capital (or an opening quote); an abbreviation such as "Mr. Smith"
 * may end a "sentence" early, which only moves a passage boundary: no text is lost or reordered.
 */
public final class Passages {
    /** Words at which a passage is closed; about 200 tokens with the lab's tokenizer. */
    public static final int TARGET_WORDS = 150;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?]|[.!?][\"')\\]])\\s+(?=[\"'(\\[]?[A-Z])");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private Passages() {
    }

    /** The passages of {@code document}, in order; the last may be shorter than the target. */
    public static List<Passage> of(ProseDocument document) {
        List<Passage> passages = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int words = 0;
        for (String sentence : SENTENCE_END.split(SPACE.matcher(document.text().strip()).replaceAll(" "))) {
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(sentence);
            words += SPACE.split(sentence).length;
            if (words >= TARGET_WORDS) {
                passages.add(new Passage(document.id(), passages.size(), current.toString()));
                current.setLength(0);
                words = 0;
            }
        }
        if (!current.isEmpty()) {
            passages.add(new Passage(document.id(), passages.size(), current.toString()));
        }
        return passages;
    }
}
