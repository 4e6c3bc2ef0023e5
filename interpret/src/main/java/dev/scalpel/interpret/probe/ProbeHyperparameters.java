package dev.scalpel.interpret.probe;

import dev.scalpel.core.hparams.HyperparameterFiles;
import dev.scalpel.core.hparams.HyperparameterOverride;
import java.util.List;

/**
 * The probing experiment's hyperparameters (hparams/probe/*.json): the logistic probe's C grid, class weights and
 * LIBLINEAR tolerance, and the TF-IDF baseline's n-grams and vocabulary. {@code mosaic.json} holds the MOSAIC
 * method's: C in {1e-4, ..., 10}, no class weights, LIBLINEAR's default tolerance; 1-2 grams, 20k features, raw tf.
 */
public record ProbeHyperparameters(LogisticProbe.Config probe, TfIdfVectorizer.Config tfidf) {

    /** A named file ({@code mosaic}) or a JSON path, with overrides ({@code probe.balanced=true}). */
    public static ProbeHyperparameters load(String nameOrPath, List<HyperparameterOverride> overrides) {
        return HyperparameterFiles.load(ProbeHyperparameters.class, "probe", nameOrPath, overrides);
    }

    /** The MOSAIC method's settings. */
    public static ProbeHyperparameters mosaic() {
        return load("mosaic", List.of());
    }
}
