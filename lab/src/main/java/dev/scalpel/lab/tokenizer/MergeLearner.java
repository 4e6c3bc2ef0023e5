package dev.scalpel.lab.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The BPE merge loop. Each step merges the pair of adjacent tokens that occurs most often in the corpus (every adjacent
 * position counts, so "aaa" holds the pair (a, a) twice), the tie broken by the smaller left id, then the smaller right
 * id: the rule of the Hugging Face trainer, which makes the result a function of the corpus alone (on the lab corpus the
 * two learn the same merges in the same order). Merging a pair removes every occurrence of it, and tokens only appear
 * when they are made, so a merged pair does not come back; the trainer still marks merged pairs and never merges one
 * twice, so that the merge list cannot hold duplicates whatever the input.
 *
 * <p>Instead of recounting all pairs at every step, it keeps each pair's count and the words that hold it, and on a
 * merge rewrites only those words, adjusting the counts of the pairs they lose and gain. A priority queue holds the
 * candidates; an entry whose count went stale is corrected when it reaches the top. That is correct because counts of
 * existing pairs only fall, except for pairs that gain occurrences in a step, which are queued afresh with their new
 * count: so every pair always has an entry at least as high as its true count, and an entry that is both on top and
 * current is the true maximum.
 */
final class MergeLearner {
    /** What the loop produced; {@code exhausted} when it stopped before reaching the size asked for. */
    record Result(List<String> vocab, List<int[]> merges, boolean exhausted) {}

    /** A pair's running statistics. */
    private static final class PairStats {
        long count;
        /** Words that hold or once held the pair (stale entries and repeats are skipped when merging). */
        int[] words = new int[4];
        int wordCount;
        boolean merged;

        void addWord(int word) {
            if (wordCount > 0 && words[wordCount - 1] == word) {
                return;
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, 2 * wordCount);
            }
            words[wordCount++] = word;
        }
    }

    /** A queue entry: most frequent first, then the smaller left id, then the smaller right id. */
    private record Candidate(long count, int left, int right) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            if (count != o.count) {
                return Long.compare(o.count, count);
            }
            if (left != o.left) {
                return Integer.compare(left, o.left);
            }
            return Integer.compare(right, o.right);
        }
    }

    private final List<String> vocab;
    private final Map<String, Integer> ids = new HashMap<>();
    /** The current tokens of each distinct word; only the first {@code lengths[w]} entries are live. */
    private final int[][] symbols;
    private final int[] lengths;
    private final long[] frequencies;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue;
    private final List<int[]> merges = new ArrayList<>();
    /** Stamp of the last merge that rewrote each word, so a word listed twice under a pair is rewritten once. */
    private final int[] visited;
    private long[] oldPairs;
    private long[] newPairs;

    private MergeLearner(WordCounts words, List<String> initialVocab) {
        vocab = new ArrayList<>(initialVocab);
        for (int id = 0; id < vocab.size(); id++) {
            ids.put(vocab.get(id), id);
        }
        int n = words.size();
        symbols = new int[n][];
        lengths = new int[n];
        frequencies = words.counts();
        visited = new int[n];
        int longest = 1;
        for (int w = 0; w < n; w++) {
            String word = words.words()[w];
            symbols[w] = new int[word.length()];
            for (int i = 0; i < word.length(); i++) {
                symbols[w][i] = ids.get(String.valueOf(word.charAt(i)));
            }
            lengths[w] = word.length();
            longest = Math.max(longest, word.length());
            for (int i = 0; i + 1 < word.length(); i++) {
                PairStats stats = pairs.computeIfAbsent(key(symbols[w][i], symbols[w][i + 1]), k -> new PairStats());
                stats.count += frequencies[w];
                stats.addWord(w);
            }
        }
        oldPairs = new long[longest];
        newPairs = new long[longest];
        List<Candidate> initial = new ArrayList<>(pairs.size());
        pairs.forEach((k, stats) -> initial.add(new Candidate(stats.count, left(k), right(k))));
        queue = new PriorityQueue<>(initial);
    }

    /**
     * Merges until the vocabulary (which starts as {@code initialVocab}, holding every character of every word) has
     * {@code vocabSize} entries, or no pair that was not merged yet occurs {@code minPairCount} times.
     */
    static Result learn(WordCounts words, List<String> initialVocab, int vocabSize, int minPairCount) {
        MergeLearner learner = new MergeLearner(words, initialVocab);
        boolean exhausted = !learner.run(vocabSize, minPairCount);
        return new Result(List.copyOf(learner.vocab), List.copyOf(learner.merges), exhausted);
    }

    /** Returns whether the vocabulary reached its size. */
    private boolean run(int vocabSize, int minPairCount) {
        while (vocab.size() < vocabSize) {
            Candidate top = queue.poll();
            if (top == null) {
                return false;
            }
            PairStats stats = pairs.get(key(top.left, top.right));
            if (stats.merged) {
                continue;
            }
            if (stats.count != top.count) {
                if (stats.count > 0) {
                    queue.add(new Candidate(stats.count, top.left, top.right));
                }
                continue;
            }
            if (top.count < minPairCount) {
                return false;
            }
            merge(top.left, top.right, stats);
        }
        return true;
    }

    private void merge(int left, int right, PairStats stats) {
        String token = vocab.get(left) + vocab.get(right);
        // Should two pairs ever spell the same token ("a"+"bc", "ab"+"c"), both yield its one id, as in Hugging Face.
        int merged = ids.computeIfAbsent(token, t -> {
            vocab.add(t);
            return vocab.size() - 1;
        });
        merges.add(new int[] {left, right});
        stats.merged = true;
        int stamp = merges.size();
        Set<Long> gained = new HashSet<>();
        int listed = stats.wordCount;
        for (int i = 0; i < listed; i++) {
            int w = stats.words[i];
            if (visited[w] != stamp) {
                visited[w] = stamp;
                rewrite(w, left, right, merged, gained);
            }
        }
        for (long k : gained) {
            PairStats s = pairs.get(k);
            if (!s.merged && s.count > 0) {
                queue.add(new Candidate(s.count, left(k), right(k)));
            }
        }
    }

    /** Merges every (left, right) in word {@code w}, left to right, and moves the pair counts by the difference. */
    private void rewrite(int w, int left, int right, int merged, Set<Long> gained) {
        int[] s = symbols[w];
        int n = lengths[w];
        int oldCount = 0;
        boolean holds = false;
        for (int i = 0; i + 1 < n; i++) {
            holds |= s[i] == left && s[i + 1] == right;
            oldPairs[oldCount++] = key(s[i], s[i + 1]);
        }
        if (!holds) {
            return;
        }
        int out = 0;
        for (int i = 0; i < n; ) {
            if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                s[out++] = merged;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[w] = out;
        int newCount = 0;
        for (int i = 0; i + 1 < out; i++) {
            newPairs[newCount++] = key(s[i], s[i + 1]);
        }
        // Both lists sorted, then walked together: only the pairs whose multiplicity changed touch the shared map.
        Arrays.sort(oldPairs, 0, oldCount);
        Arrays.sort(newPairs, 0, newCount);
        int a = 0;
        int b = 0;
        while (a < oldCount || b < newCount) {
            long k = a == oldCount ? newPairs[b] : b == newCount ? oldPairs[a] : Math.min(oldPairs[a], newPairs[b]);
            int before = 0;
            while (a < oldCount && oldPairs[a] == k) {
                before++;
                a++;
            }
            int after = 0;
            while (b < newCount && newPairs[b] == k) {
                after++;
                b++;
            }
            if (before != after) {
                PairStats p = pairs.computeIfAbsent(k, x -> new PairStats());
                p.count += (long) (after - before) * frequencies[w];
                if (before == 0) {
                    p.addWord(w);
                }
                if (after > before) {
                    gained.add(k);
                }
            }
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long key) {
        return (int) (key >>> 32);
    }

    private static int right(long key) {
        return (int) key;
    }
}
