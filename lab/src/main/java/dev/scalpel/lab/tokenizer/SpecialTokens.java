package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.ScalpelException;
import java.util.HashSet;
import java.util.List;

/**
 * The four special tokens of a lab tokenizer, which take ids 0-3 in this order: BOS (prepended to every encoding),
 * EOS (ends a document in training data), PAD (fills batches) and MASK (the masked-diffusion LM's noise token).
 * They are matched in text before any splitting, so {@code "<mask>"} in a prompt is one token, never its characters.
 */
public record SpecialTokens(String bos, String eos, String pad, String mask) {

    public SpecialTokens {
        List<String> all = java.util.Arrays.asList(bos, eos, pad, mask);
        for (String token : all) {
            // Whitespace inside would let a corpus chunk boundary (cut after a newline) fall inside a token.
            if (token == null || token.isEmpty() || token.codePoints().anyMatch(Character::isWhitespace)) {
                throw new ScalpelException("special token " + (token == null ? "null" : "'" + token + "'")
                        + ": must be non-empty and without whitespace");
            }
        }
        if (new HashSet<>(all).size() != all.size()) {
            throw new ScalpelException("special tokens " + all + ": must be four different strings");
        }
    }

    /** {@code <bos>}, {@code <eos>}, {@code <pad>}, {@code <mask>}. */
    public static SpecialTokens standard() {
        return new SpecialTokens("<bos>", "<eos>", "<pad>", "<mask>");
    }

    /** The tokens in id order: element i has id i. */
    public List<String> inIdOrder() {
        return List.of(bos, eos, pad, mask);
    }

    public int bosId() {
        return 0;
    }

    public int eosId() {
        return 1;
    }

    public int padId() {
        return 2;
    }

    public int maskId() {
        return 3;
    }
}
