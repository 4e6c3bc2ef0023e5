package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.text.Corpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a byte-level BPE tokenizer: pre-tokenizes the corpus and counts its distinct words, starts from the special
 * tokens and the 256 byte symbols, and learns merges until the vocabulary has the size asked for. The same corpus
 * gives the same model (and the same file bytes), whatever the number of cores or the order of the documents.
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /**
     * Trains on {@code documents} (each one a piece of text: a sentence, a paragraph, a whole corpus). Special tokens
     * inside the text are left out of training, as the runtime treats them apart.
     *
     * @throws ScalpelException if the corpus is too small to fill the vocabulary
     */
    public static BpeModel train(List<String> documents, BpeConfig config) {
        PreTokenizer preTokenizer = new PreTokenizer(config.individualDigits());
        WordCounts words = WordCounts.count(documents, preTokenizer, new SpecialTokenSplitter(config.specialTokens()));
        List<String> initial = new ArrayList<>(config.specialTokens().inIdOrder());
        initial.addAll(Arrays.asList(ByteAlphabet.symbolsInCodePointOrder()));
        MergeLearner.Result learned = MergeLearner.learn(words, initial, config.vocabSize(), config.minPairCount());
        if (learned.exhausted()) {
            throw new ScalpelException("BPE training corpus: too small for a vocabulary of " + config.vocabSize()
                    + ": after " + learned.merges().size() + " merges no new pair occurs " + config.minPairCount()
                    + " times or more (" + words.size() + " distinct words), so the vocabulary stops at "
                    + learned.vocab().size() + "; give more text or ask for a smaller vocabulary");
        }
        List<Merge> merges = new ArrayList<>(learned.merges().size());
        for (int[] pair : learned.merges()) {
            merges.add(new Merge(learned.vocab().get(pair[0]), learned.vocab().get(pair[1])));
        }
        return new BpeModel(config.specialTokens(), config.individualDigits(), config.modelMaxLength(),
                learned.vocab(), merges);
    }

    /** Trains on a UTF-8 text file, read whole as one document (tens of MB are fine). */
    public static BpeModel train(Path textFile, BpeConfig config) {
        return train(Corpus.read(textFile, Corpus.Reading.documents()).texts(), config);
    }
}
