package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Counting a large document in parallel chunks gives the counts of pre-tokenizing it whole: the chunk boundaries
 * never change how the text splits, even amid runs of spaces and newlines.
 */
class BpeCorpusChunkingTest {

    @Test
    void chunkedCountsEqualWholeTextCounts() {
        String document = String.join("\n", BpeTestTexts.varied(17, 40_000));
        assertTrue(document.length() > 4 * (1 << 18), "long enough to be cut: " + document.length());
        PreTokenizer preTokenizer = new PreTokenizer(true);
        WordCounts chunked = WordCounts.count(
                List.of(document), preTokenizer, new SpecialTokenSplitter(SpecialTokens.standard()));

        TreeMap<String, Long> whole = new TreeMap<>();
        new SpecialTokenSplitter(SpecialTokens.standard()).split(document, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String text) {
                preTokenizer.split(text, piece -> whole.merge(piece, 1L, Long::sum));
            }

            @Override
            public void special(int id) {}
        });
        String[] words = whole.keySet().stream().map(ByteAlphabet::encode).toArray(String[]::new);
        long[] counts = whole.values().stream().mapToLong(Long::longValue).toArray();
        assertEquals(words.length, chunked.size());
        assertArrayEquals(words, chunked.words());
        assertArrayEquals(counts, chunked.counts());
        assertEquals(Arrays.stream(counts).sum(), Arrays.stream(chunked.counts()).sum());
    }

    @Test
    void specialTokensInTrainingTextAreNotLearned() {
        List<String> corpus = new ArrayList<>();
        java.util.Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            corpus.add(BpeTestTexts.arithmetic(random) + "<mask><eos><mask>\n");
        }
        // Counted as text, they would be among the first merges (trained so, the first 40 include "><" and "mask");
        // the word problems themselves hold no angle brackets.
        BpeModel model = BpeTrainer.train(corpus, BpeConfig.lab().withVocabSize(300));
        for (String token : model.vocab().subList(4 + 256, model.size())) {
            assertTrue(!token.contains("<") && !token.contains(">") && !token.equals("mask"), "learned " + token);
        }
    }
}
