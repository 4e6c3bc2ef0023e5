package dev.scalpel.interpret.probe;

import java.util.List;

/**
 * Turns texts into feature rows for a probe. An extractor that learns from data (a TF-IDF vocabulary) may only learn
 * from the training rows it is given, so the held-out texts never shape their own features.
 */
@FunctionalInterface
public interface FeatureExtractor {
    /**
     * @param texts every text of the data set
     * @param trainRows the indices of the texts it may learn from
     * @return one row per text, in order
     */
    FeatureMatrix extract(List<String> texts, int[] trainRows);

    /** Features computed beforehand (one forward pass serving several probes). */
    static FeatureExtractor of(FeatureMatrix precomputed) {
        return (texts, trainRows) -> {
            if (precomputed.rows() != texts.size()) {
                throw new IllegalArgumentException("precomputed features have " + precomputed.rows() + " rows for "
                        + texts.size() + " texts");
            }
            return precomputed;
        };
    }
}
