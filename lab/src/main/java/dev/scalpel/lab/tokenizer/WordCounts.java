package dev.scalpel.lab.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How often each word (piece of pre-tokenized text, in byte-level form) occurs in a corpus. BPE merges never cross
 * word boundaries, so the trainer only needs the distinct words and their counts: tens of MB of English are a few
 * hundred thousand distinct words. Counting runs on all cores; the result does not depend on their number or on the
 * order of the documents, because it is a sum.
 */
final class WordCounts {
    /** Large documents are cut into pieces of about this many chars so that all cores get work. */
    private static final int CHUNK_CHARS = 1 << 18;

    private final String[] words;
    private final long[] counts;

    private WordCounts(String[] words, long[] counts) {
        this.words = words;
        this.counts = counts;
    }

    /**
     * Counts the words of {@code documents}; special tokens in the text are cut out and not counted, because the
     * runtime matches them before pre-tokenizing and no merge should be spent on their characters.
     */
    static WordCounts count(List<String> documents, PreTokenizer preTokenizer, SpecialTokenSplitter specials) {
        List<String> chunks = new ArrayList<>();
        for (String document : documents) {
            cut(document, chunks);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int groups = Math.max(1, Math.min(chunks.size(), 4 * cores));
        List<Map<String, long[]>> partial = IntStream.range(0, groups).parallel()
                .mapToObj(g -> countRange(chunks, g * chunks.size() / groups, (g + 1) * chunks.size() / groups,
                        preTokenizer, specials))
                .toList();
        Map<String, long[]> total = new HashMap<>();
        for (Map<String, long[]> part : partial) {
            part.forEach((piece, n) -> total.computeIfAbsent(piece, k -> new long[1])[0] += n[0]);
        }
        // Sorted so that everything downstream (word indices, pair lists) is the same on every run.
        String[] words = new String[total.size()];
        int i = 0;
        for (String piece : total.keySet()) {
            words[i++] = piece;
        }
        Arrays.sort(words);
        long[] counts = new long[words.length];
        String[] byteLevel = new String[words.length];
        for (int w = 0; w < words.length; w++) {
            counts[w] = total.get(words[w])[0];
            byteLevel[w] = ByteAlphabet.encode(words[w]);
        }
        return new WordCounts(byteLevel, counts);
    }

    private static Map<String, long[]> countRange(
            List<String> chunks, int from, int to, PreTokenizer preTokenizer, SpecialTokenSplitter specials) {
        Map<String, long[]> counts = new HashMap<>();
        SpecialTokenSplitter.Sink sink = new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String text) {
                preTokenizer.split(text, piece -> counts.computeIfAbsent(piece, k -> new long[1])[0]++);
            }

            @Override
            public void special(int id) {}
        };
        for (int c = from; c < to; c++) {
            specials.split(chunks.get(c), sink);
        }
        return counts;
    }

    /**
     * Cuts a document where pre-tokenizing the parts gives the same pieces as pre-tokenizing the whole: right after a
     * newline that follows a non-space and precedes a letter or digit. There the newline is a piece of its own either
     * way, and the letter cannot join it (only a plain space prefixes a word), whereas after a run of whitespace the
     * regex would split the run differently at a cut (its lookahead sees the next word).
     */
    private static void cut(String document, List<String> chunks) {
        int start = 0;
        while (document.length() - start > CHUNK_CHARS) {
            int at = start + CHUNK_CHARS;
            while (at < document.length() && !isSafeCut(document, at)) {
                at++;
            }
            if (at >= document.length()) {
                break;
            }
            chunks.add(document.substring(start, at));
            start = at;
        }
        chunks.add(document.substring(start));
    }

    private static boolean isSafeCut(String text, int at) {
        return at >= 2 && text.charAt(at - 1) == '\n' && !isUnicodeWhiteSpace(text.charAt(at - 2))
                && Character.isLetterOrDigit(text.codePointAt(at));
    }

    /** Unicode's White_Space (what the regex's {@code \s} means), which no single Character method gives. */
    private static boolean isUnicodeWhiteSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** The distinct words in byte-level form, sorted. */
    String[] words() {
        return words;
    }

    /** {@code counts()[i]} is how often {@code words()[i]} occurs. */
    long[] counts() {
        return counts;
    }

    int size() {
        return words.length;
    }
}
