package dev.scalpel.interpret.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TF-IDF bag of words over unigrams and bigrams, the text baseline every probe must beat. It follows scikit-learn's
 * TfidfVectorizer where the method names it: lower-cased tokens of two or more word characters (its default
 * {@code \b\w\w+\b}); n-grams of consecutive tokens; {@code idf = ln((1 + n) / (1 + df)) + 1} (smooth idf, n documents
 * fitted on); term frequency raw, or {@code 1 + ln(tf)} when sublinear; rows scaled to unit L2 norm. The vocabulary
 * is the {@code maxFeatures} terms of highest document frequency in the fitting texts (ties broken alphabetically;
 * scikit-learn ranks by total count instead), so the test split never shapes it.
 */
public final class TfIdfVectorizer {
    private static final Pattern TOKEN = Pattern.compile("\\b\\w\\w+\\b", Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * @param maxN longest n-gram (2: unigrams and bigrams)
     * @param maxFeatures vocabulary size cap (the method: 20,000)
     * @param sublinearTf {@code 1 + ln(tf)} instead of tf
     */
    public record Config(int maxN, int maxFeatures, boolean sublinearTf) {
        public Config {
            if (maxN < 1 || maxFeatures < 1) {
                throw new IllegalArgumentException("maxN and maxFeatures must be >= 1");
            }
        }

        /** The method's baseline: 1-2 grams, 20k features, raw tf (hparams/probe/mosaic.json). */
        public static Config defaults() {
            return ProbeHyperparameters.mosaic().tfidf();
        }
    }

    private final Config config;
    private final Map<String, Integer> vocabulary;
    private final String[] terms;
    private final double[] idf;

    private TfIdfVectorizer(Config config, String[] terms, double[] idf) {
        this.config = config;
        this.terms = terms;
        this.idf = idf;
        this.vocabulary = new HashMap<>(terms.length * 2);
        for (int i = 0; i < terms.length; i++) {
            vocabulary.put(terms[i], i);
        }
    }

    /** Learns the vocabulary and idf from {@code texts}. */
    public static TfIdfVectorizer fit(List<String> texts, Config config) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to fit a TF-IDF vocabulary on");
        }
        Map<String, int[]> df = new HashMap<>();
        for (String text : texts) {
            Set<String> seen = new HashSet<>(terms(text, config.maxN()));
            for (String t : seen) {
                df.computeIfAbsent(t, k -> new int[1])[0]++;
            }
        }
        List<Map.Entry<String, int[]>> ranked = new ArrayList<>(df.entrySet());
        ranked.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        int size = Math.min(config.maxFeatures(), ranked.size());
        String[] vocab = new String[size];
        for (int i = 0; i < size; i++) {
            vocab[i] = ranked.get(i).getKey();
        }
        Arrays.sort(vocab);   // column order: alphabetical, as scikit-learn's vocabulary_
        double n = texts.size();
        double[] idf = new double[size];
        for (int i = 0; i < size; i++) {
            idf[i] = Math.log((1 + n) / (1 + df.get(vocab[i])[0])) + 1;
        }
        return new TfIdfVectorizer(config, vocab, idf);
    }

    /** The tokens of a text: lower-cased runs of two or more word characters. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The 1..maxN-grams of a text, each occurrence once, n-gram words joined by a space. */
    public static List<String> terms(String text, int maxN) {
        List<String> tokens = tokens(text);
        List<String> out = new ArrayList<>(tokens.size() * maxN);
        for (int n = 1; n <= maxN; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                out.add(n == 1 ? tokens.get(i) : String.join(" ", tokens.subList(i, i + n)));
            }
        }
        return out;
    }

    public int size() {
        return terms.length;
    }

    /** The column's term. */
    public String term(int column) {
        return terms[column];
    }

    /** The term's column, or -1 if it is not in the vocabulary. */
    public int column(String term) {
        Integer c = vocabulary.get(term);
        return c == null ? -1 : c;
    }

    public double idf(int column) {
        return idf[column];
    }

    /** One unit-norm row per text (a text with no known term gets an empty row). */
    public FeatureMatrix transform(List<String> texts) {
        FeatureMatrix.Builder out = FeatureMatrix.builder(Math.max(1, terms.length));
        int[] counts = new int[terms.length];
        int[] touched = new int[16];
        for (String text : texts) {
            int nTouched = 0;
            for (String t : terms(text, config.maxN())) {
                Integer c = vocabulary.get(t);
                if (c == null) {
                    continue;
                }
                if (counts[c]++ == 0) {
                    if (nTouched == touched.length) {
                        touched = Arrays.copyOf(touched, touched.length * 2);
                    }
                    touched[nTouched++] = c;
                }
            }
            int[] cols = Arrays.copyOf(touched, nTouched);
            Arrays.sort(cols);
            double[] w = new double[nTouched];
            double norm = 0;
            for (int k = 0; k < nTouched; k++) {
                int tf = counts[cols[k]];
                double tfw = config.sublinearTf() ? 1 + Math.log(tf) : tf;
                w[k] = tfw * idf[cols[k]];
                norm += w[k] * w[k];
                counts[cols[k]] = 0;
            }
            norm = Math.sqrt(norm);
            float[] values = new float[nTouched];
            for (int k = 0; k < nTouched; k++) {
                values[k] = (float) (w[k] / norm);
            }
            out.addSparse(cols, values);
        }
        return out.build();
    }
}
