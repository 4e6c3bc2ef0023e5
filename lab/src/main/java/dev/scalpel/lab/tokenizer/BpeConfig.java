package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.ScalpelException;

/**
 * What to train.
 *
 * @param vocabSize the exact size of the vocabulary, special tokens and the 256 byte symbols included (as in the Hugging
 *     Face trainer), so it is also the embedding matrix's row count; training fails if the corpus cannot fill it
 * @param minPairCount a pair seen fewer times than this in the whole corpus is never merged: a merge learned from one
 *     occurrence memorises a typo rather than a unit of the language
 * @param specialTokens BOS, EOS, PAD and MASK, ids 0-3
 * @param individualDigits whether every digit is a token of its own (see {@link #lab()} for why the lab says yes)
 * @param modelMaxLength the context length written to tokenizer_config.json for transformers
 */
public record BpeConfig(
        int vocabSize, int minPairCount, SpecialTokens specialTokens, boolean individualDigits, int modelMaxLength) {

    public BpeConfig {
        if (specialTokens == null) {
            throw new ScalpelException("BPE config: specialTokens is null");
        }
        int floor = specialTokens.inIdOrder().size() + ByteAlphabet.SIZE + 1;
        if (vocabSize < floor) {
            throw new ScalpelException("BPE config: vocabSize " + vocabSize + " is below " + floor
                    + " (4 special tokens + 256 byte symbols + at least one merge)");
        }
        if (minPairCount < 1) {
            throw new ScalpelException("BPE config: minPairCount " + minPairCount + " must be at least 1");
        }
        if (modelMaxLength < 1) {
            throw new ScalpelException("BPE config: modelMaxLength " + modelMaxLength + " must be positive");
        }
    }

    /**
     * The lab's tokenizer: 4,096 entries in all (a multiple of 64, which matmul kernels like), pairs merged from two
     * occurrences up, the standard special tokens, a 1,024-token context, and numbers split into single digits.
     *
     * <p>Digits, measured on lab-like text (12.7 MB of WordNet glosses, WordNet facts and arithmetic word problems,
     * 4,096 entries, held-out text of each kind): with digits merged by frequency, the same number is cut differently
     * depending on its digits (" 1234" became " 12" + "3" + "4", " 987" became " 98" + "7", " 65" one token), so a
     * model would have to learn place value separately for every cut; with single digits (as Llama and PaLM do) every
     * number reads digit by digit, which is what arithmetic needs. The cost: arithmetic problems take 37% more tokens
     * (0.43 instead of 0.31 tokens per char), glosses none (0.291 both ways; the 153 number tokens that merging digits
     * learns are spent on rare words instead). The lab trains arithmetic, so it splits digits.
     */
    public static BpeConfig lab() {
        return new BpeConfig(4096, 2, SpecialTokens.standard(), true, 1024);
    }

    public BpeConfig withVocabSize(int size) {
        return new BpeConfig(size, minPairCount, specialTokens, individualDigits, modelMaxLength);
    }

    public BpeConfig withMinPairCount(int count) {
        return new BpeConfig(vocabSize, count, specialTokens, individualDigits, modelMaxLength);
    }

    public BpeConfig withIndividualDigits(boolean individual) {
        return new BpeConfig(vocabSize, minPairCount, specialTokens, individual, modelMaxLength);
    }

    public BpeConfig withModelMaxLength(int length) {
        return new BpeConfig(vocabSize, minPairCount, specialTokens, individualDigits, length);
    }
}
