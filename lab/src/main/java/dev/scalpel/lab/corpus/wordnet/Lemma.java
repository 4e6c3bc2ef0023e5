package dev.scalpel.lab.corpus.wordnet;

/**
 * One word of a synset as WordNet spells it (spaces inside phrases, capitals for proper nouns) and its tag count: how
 * often this sense was tagged in WordNet's semantic concordance, WordNet's own measure of how common a sense is.
 */
public record Lemma(String text, int useCount) {
    public Lemma {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("lemma text is empty");
        }
        if (useCount < 0) {
            throw new IllegalArgumentException("lemma '" + text + "' has a negative tag count");
        }
    }

    /** Words of the lemma ("sea lion" has two). */
    public int wordCount() {
        return text.split(" ").length;
    }
}
