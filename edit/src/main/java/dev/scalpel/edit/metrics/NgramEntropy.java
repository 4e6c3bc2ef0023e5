package dev.scalpel.edit.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Generation entropy (GE) as the editing papers compute it: for each generated text, word bigram and trigram entropies
 * in bits weighted 2/3 and 4/3 and averaged, then averaged over texts; reported x100 (as the papers' tables). Words are
 * runs of letters and digits, or single punctuation marks (nltk's word_tokenize in the reference code; the two agree
 * on ordinary text).
 */
public final class NgramEntropy {
    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);

    private NgramEntropy() {
    }

    public static double of(List<String> texts) {
        return 100 * texts.stream().mapToDouble(NgramEntropy::single).average().orElse(0);
    }

    static double single(String text) {
        List<String> words = WORD.matcher(text).results().map(java.util.regex.MatchResult::group).toList();
        double h2 = entropy(words, 2);
        double h3 = entropy(words, 3);
        return (2.0 / 3 * h2 + 4.0 / 3 * h3) / 2;
    }

    static double entropy(List<String> words, int n) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(String.join("\u0000", words.subList(i, i + n)), 1, Integer::sum);
            total++;
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / total;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

}
