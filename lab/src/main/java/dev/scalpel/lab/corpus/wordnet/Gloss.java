package dev.scalpel.lab.corpus.wordnet;

import java.util.List;

/**
 * A gloss taken apart: the definitions (the text outside quotes, WordNet separates several with semicolons) and the
 * usage examples (the quoted sentences), each cleaned of quotes and attributions.
 */
public record Gloss(List<String> definitions, List<String> examples) {
    public Gloss {
        definitions = List.copyOf(definitions);
        examples = List.copyOf(examples);
    }

    /** The definitions as one phrase, joined the way WordNet writes them. */
    public String definition() {
        return String.join("; ", definitions);
    }
}
