package dev.scalpel.lab.corpus.wordnet;

/** WordNet's four parts of speech, with the letter WordNet uses in synset identifiers ("02115987-n"). */
public enum PartOfSpeech {
    NOUN('n'),
    VERB('v'),
    ADJECTIVE('a'),
    ADVERB('r');

    private final char letter;

    PartOfSpeech(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }
}
