package dev.scalpel.interpret.data;

import java.util.List;

/**
 * Labeled examples and where they came from.
 *
 * @param source a file or a bundled corpus's name, as reports cite it
 * @param malformed messages that could not be parsed and were read raw (SpamAssassin), 0 for JSONL files
 */
public record LabeledDataset(String source, List<LabeledText> texts, int malformed) {
    public LabeledDataset {
        texts = List.copyOf(texts);
    }
}
