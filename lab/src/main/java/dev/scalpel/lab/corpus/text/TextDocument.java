package dev.scalpel.lab.corpus.text;

import dev.scalpel.lab.corpus.wordnet.SynsetId;

/** The text of one synset; the synset is kept so splits can be checked, the jsonl files hold only the text. */
public record TextDocument(SynsetId synset, String text) {
    public TextDocument {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text document for synset " + synset + " is empty");
        }
    }
}
