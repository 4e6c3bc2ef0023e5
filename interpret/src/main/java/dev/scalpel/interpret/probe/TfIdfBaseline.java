package dev.scalpel.interpret.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The method's text baseline: TF-IDF over 1-2 grams with a 20k vocabulary fitted on the training split, classified by
 * the same logistic probe with balanced class weights. If SAE features cannot beat word counts, they are not telling
 * us much about the model.
 */
public final class TfIdfBaseline implements FeatureExtractor {
    private final TfIdfVectorizer.Config config;
    private TfIdfVectorizer fitted;

    public TfIdfBaseline(TfIdfVectorizer.Config config) {
        this.config = config;
    }

    public static TfIdfBaseline defaults() {
        return new TfIdfBaseline(TfIdfVectorizer.Config.defaults());
    }

    /** The probe settings of the baseline: the given grid and tolerance, balanced class weights. */
    public static LogisticProbe.Config probeConfig(LogisticProbe.Config base) {
        return base.withBalanced(true);
    }

    /** Fits the vocabulary on the training rows' texts, then transforms every text. */
    @Override
    public FeatureMatrix extract(List<String> texts, int[] trainRows) {
        List<String> training = new ArrayList<>(trainRows.length);
        for (int r : trainRows) {
            training.add(texts.get(r));
        }
        fitted = TfIdfVectorizer.fit(training, config);
        return fitted.transform(texts);
    }

    /** The vectorizer of the last {@link #extract}, or null before one. */
    public TfIdfVectorizer vectorizer() {
        return fitted;
    }
}
