package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A trained byte-level BPE tokenizer: everything that its tokenizer.json and tokenizer_config.json say.
 *
 * @param specialTokens ids 0-3
 * @param individualDigits whether numbers are split into single digits before BPE
 * @param modelMaxLength the context length given to transformers
 * @param vocab token strings in id order: the special tokens, the 256 byte symbols in code point order, then one new
 *     token per merge (fewer if two merges spelled the same token)
 * @param merges in the order they were learned, which is the order the encoder applies them in
 */
public record BpeModel(
        SpecialTokens specialTokens, boolean individualDigits, int modelMaxLength, List<String> vocab,
        List<Merge> merges) {

    public BpeModel {
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
        List<String> specials = specialTokens.inIdOrder();
        if (vocab.size() < specials.size() || !vocab.subList(0, specials.size()).equals(specials)) {
            throw new ScalpelException("BPE vocabulary: must start with the special tokens " + specials);
        }
        Set<String> known = new HashSet<>(vocab);
        if (known.size() != vocab.size()) {
            throw new ScalpelException("BPE vocabulary: holds a token twice");
        }
        for (String symbol : ByteAlphabet.symbolsInCodePointOrder()) {
            if (!known.contains(symbol)) {
                throw new ScalpelException("BPE vocabulary: lacks the byte symbol '" + symbol
                        + "' (a byte-level vocabulary needs all 256 so that any text is encodable)");
            }
        }
        for (Merge m : merges) {
            if (!known.contains(m.left()) || !known.contains(m.right()) || !known.contains(m.merged())) {
                throw new ScalpelException("BPE merge '" + m + "': a token it names or makes is not in the vocabulary");
            }
        }
    }

    /** The number of tokens, special tokens included: the embedding matrix's row count. */
    public int size() {
        return vocab.size();
    }

    /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code folder} (created if absent). */
    public void save(Path folder) {
        TokenizerFiles.write(this, folder);
    }

    /** Reads a tokenizer that {@link #save} wrote. */
    public static BpeModel load(Path folder) {
        return TokenizerFiles.read(folder);
    }
}
