package dev.scalpel.interpret.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A three-document corpus worked by hand with scikit-learn's smooth idf, idf = ln((1 + n) / (1 + df)) + 1, n = 3.
 * Terms (unigrams and bigrams of lower-cased 2+ character tokens) and document frequencies:
 * the 3; cat, sat, "the cat" 2; dog, down, "cat sat", "the dog", "dog sat", "sat down", "cat the" 1.
 */
class TfIdfVectorizerTest {
    private static final List<String> DOCS = List.of("the cat sat", "the dog sat down", "The cat, the CAT! a");
    private static final double IDF3 = Math.log(4.0 / 4) + 1;   // = 1
    private static final double IDF2 = Math.log(4.0 / 3) + 1;
    private static final double IDF1 = Math.log(4.0 / 2) + 1;

    @Test
    void tokensAndTerms() {
        assertEquals(List.of("the", "cat", "the", "cat"), TfIdfVectorizer.tokens("The cat, the CAT! a"));
        assertEquals(List.of("the", "cat", "sat", "the cat", "cat sat"), TfIdfVectorizer.terms("the cat sat", 2));
    }

    @Test
    void valuesMatchTheClosedForm() {
        TfIdfVectorizer v = TfIdfVectorizer.fit(DOCS, TfIdfVectorizer.Config.defaults());
        assertEquals(11, v.size());
        assertEquals(IDF3, v.idf(v.column("the")), 1e-12);
        assertEquals(IDF2, v.idf(v.column("the cat")), 1e-12);
        assertEquals(IDF1, v.idf(v.column("cat the")), 1e-12);
        FeatureMatrix x = v.transform(DOCS);
        // Document 3: the x2, cat x2, "the cat" x2, "cat the" x1.
        double the = 2 * IDF3;
        double cat = 2 * IDF2;
        double theCat = 2 * IDF2;
        double catThe = IDF1;
        double norm = Math.sqrt(the * the + cat * cat + theCat * theCat + catThe * catThe);
        float[] row = x.dense(2);
        assertEquals(the / norm, row[v.column("the")], 1e-6);
        assertEquals(cat / norm, row[v.column("cat")], 1e-6);
        assertEquals(theCat / norm, row[v.column("the cat")], 1e-6);
        assertEquals(catThe / norm, row[v.column("cat the")], 1e-6);
        assertEquals(4, x.row(2).length, "no other term of the vocabulary occurs in document 3");
        // Document 1: the, cat, sat, "the cat", "cat sat" once each.
        double n1 = Math.sqrt(IDF3 * IDF3 + 3 * IDF2 * IDF2 + IDF1 * IDF1);
        assertEquals(IDF1 / n1, x.dense(0)[v.column("cat sat")], 1e-6);
        // An unseen text: only known terms count.
        float[] unseen = v.transform(List.of("the zebra")).dense(0);
        assertEquals(1.0, unseen[v.column("the")], 1e-6);
    }

    @Test
    void vocabularyKeepsTheMostFrequentTermsAndSublinearTfLogs() {
        TfIdfVectorizer v = TfIdfVectorizer.fit(DOCS, new TfIdfVectorizer.Config(2, 3, true));
        // df: the 3, then cat / sat / "the cat" tie at 2 and are taken alphabetically: cat, sat.
        assertEquals(3, v.size());
        assertEquals(List.of("cat", "sat", "the"), List.of(v.term(0), v.term(1), v.term(2)));
        assertEquals(-1, v.column("the cat"));
        float[] row = v.transform(List.of(DOCS.get(2))).dense(0);
        double the = (1 + Math.log(2)) * IDF3;
        double cat = (1 + Math.log(2)) * IDF2;
        double norm = Math.hypot(the, cat);
        assertEquals(the / norm, row[v.column("the")], 1e-6);
        assertEquals(cat / norm, row[v.column("cat")], 1e-6);
        assertEquals(0.0, row[v.column("sat")], 0.0);
    }
}
