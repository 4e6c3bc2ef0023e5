package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The incremental trainer learns exactly the merges, in the same order, of a brute-force trainer that recounts every
 * pair at every step. The rule both follow: merge the adjacent pair seen most often (each adjacent position counts),
 * ties to the smaller left id and then the smaller right id; never merge a pair twice; stop at the vocabulary size.
 */
class BpeMergeRuleTest {

    /** The brute-force trainer's outcome. */
    record Outcome(List<String> vocab, List<String> merges, boolean exhausted) {}

    @Test
    void handMadeCorpusGetsTheBruteForceMerges() {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            corpus.add("low lower lowest low low newer newest newest widest wider wide");
            corpus.add("aaaa aaa aa a banana bandana ananas abab baba ababab");
            corpus.add("the then there these other another brother bother");
        }
        corpus.add("tie tie tie eit eit eit zz zz zz");
        assertFalse(assertSameMerges(corpus, 4 + 256 + 40, 2));
    }

    @Test
    void randomCorporaGetTheBruteForceMerges() {
        int exhausted = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            List<String> corpus = new ArrayList<>();
            for (int d = 0; d < 6; d++) {
                StringBuilder document = new StringBuilder();
                for (int w = 0; w < 25; w++) {
                    if (w > 0) {
                        document.append(' ');
                    }
                    int length = 1 + random.nextInt(7);
                    for (int c = 0; c < length; c++) {
                        document.append((char) ('a' + random.nextInt(3)));
                    }
                }
                corpus.add(document.toString());
            }
            int minPairCount = 1 + (int) (seed % 2);
            // Larger sizes run some corpora dry, so that stopping early is compared too.
            int vocabSize = 4 + 256 + 20 + 40 * (int) (seed % 4);
            if (assertSameMerges(corpus, vocabSize, minPairCount, "seed " + seed)) {
                exhausted++;
            }
        }
        assertTrue(exhausted > 0 && exhausted < 40, exhausted + " of 40 corpora ran out of pairs");
    }

    /** Returns whether the corpus ran out of pairs before the vocabulary was full. */
    private static boolean assertSameMerges(List<String> corpus, int vocabSize, int minPairCount, String... label) {
        Outcome expected = bruteForce(corpus, vocabSize, minPairCount);
        BpeConfig config = BpeConfig.lab().withVocabSize(vocabSize).withMinPairCount(minPairCount);
        String what = String.join(" ", label);
        if (expected.exhausted()) {
            assertThrows(ScalpelException.class, () -> BpeTrainer.train(corpus, config), what);
        } else {
            BpeModel model = BpeTrainer.train(corpus, config);
            assertEquals(expected.merges(), model.merges().stream().map(Merge::toString).toList(), what);
            assertEquals(expected.vocab(), model.vocab(), what);
        }
        return expected.exhausted();
    }

    /** Words are the space-separated strings, a space prefixed to all but the first of a document (GPT-2's split). */
    private static Outcome bruteForce(List<String> corpus, int vocabSize, int minPairCount) {
        List<String> vocab = new ArrayList<>(List.of("<bos>", "<eos>", "<pad>", "<mask>"));
        char[] alphabet = gpt2ByteChars();
        char[] sorted = alphabet.clone();
        Arrays.sort(sorted);
        for (char c : sorted) {
            vocab.add(String.valueOf(c));
        }
        Map<List<Integer>, Integer> words = new HashMap<>();
        for (String document : corpus) {
            String[] parts = document.split(" ");
            for (int i = 0; i < parts.length; i++) {
                List<Integer> symbols = new ArrayList<>();
                for (byte b : ((i > 0 ? " " : "") + parts[i]).getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(vocab.indexOf(String.valueOf(alphabet[b & 0xFF])));
                }
                words.merge(symbols, 1, Integer::sum);
            }
        }
        List<String> merges = new ArrayList<>();
        Set<List<Integer>> merged = new HashSet<>();
        while (vocab.size() < vocabSize) {
            Map<List<Integer>, Integer> counts = new HashMap<>();
            words.forEach((symbols, n) -> {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    counts.merge(List.of(symbols.get(i), symbols.get(i + 1)), n, Integer::sum);
                }
            });
            List<Integer> best = null;
            for (Map.Entry<List<Integer>, Integer> e : counts.entrySet()) {
                if (merged.contains(e.getKey())) {
                    continue;
                }
                if (best == null || e.getValue() > counts.get(best)
                        || (e.getValue().equals(counts.get(best)) && (e.getKey().get(0) < best.get(0)
                                || (e.getKey().get(0).equals(best.get(0)) && e.getKey().get(1) < best.get(1))))) {
                    best = e.getKey();
                }
            }
            if (best == null || counts.get(best) < minPairCount) {
                return new Outcome(vocab, merges, true);
            }
            String token = vocab.get(best.get(0)) + vocab.get(best.get(1));
            if (!vocab.contains(token)) {
                vocab.add(token);
            }
            int id = vocab.indexOf(token);
            merges.add(vocab.get(best.get(0)) + " " + vocab.get(best.get(1)));
            merged.add(best);
            Map<List<Integer>, Integer> rewritten = new HashMap<>();
            for (Map.Entry<List<Integer>, Integer> e : words.entrySet()) {
                List<Integer> s = e.getKey();
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) {
                    if (i + 1 < s.size() && s.get(i).equals(best.get(0)) && s.get(i + 1).equals(best.get(1))) {
                        out.add(id);
                        i++;
                    } else {
                        out.add(s.get(i));
                    }
                }
                rewritten.merge(out, e.getValue(), Integer::sum);
            }
            words = rewritten;
        }
        return new Outcome(vocab, merges, false);
    }

    /** GPT-2's byte-to-character table, written out here from its definition, apart from the main code's. */
    private static char[] gpt2ByteChars() {
        char[] table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            table[b] = printable ? (char) b : (char) next++;
        }
        return table;
    }
}
