package dev.scalpel.lab.corpus.prose;

/**
 * Consecutive whole sentences of one document, about {@link Passages#TARGET_WORDS} words: the unit the training mix
 * deals, so that a prose document weighs about as much as a problem or a fact document rather than a whole address.
 *
 * @param documentId the {@link ProseDocument#id()} it was cut from
 * @param index      its position in the document, from 0
 * @param text       the sentences, whitespace collapsed to single spaces
 */
public record Passage(String documentId, int index, String text) {
    public Passage {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("passage " + index + " of " + documentId + " is empty");
        }
    }
}
