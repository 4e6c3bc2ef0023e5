package dev.scalpel.core.model;

import java.util.List;

/**
 * Everything Scalpel knows about one family of architectures, in one place next to its model class: how its
 * config.json reads, which parameters it has, which hook points its forward pass offers and which linear modules sit
 * between them. Adding an architecture is one family, one model class and one {@link Architecture} constant, all in
 * this package.
 */
public interface ModelFamily {
    /** Whether the models are left-to-right language models that can generate. */
    boolean causal();

    /** Whether positions are a learned table (so a sequence may not exceed it), rather than rotary. */
    boolean learnedPositions();

    /** Reads config.json with the family's transformers defaults. */
    ModelConfig readConfig(Architecture architecture, HfConfig config);

    /** The parameters a model of {@code config} has. */
    ParameterLayout layout(ModelConfig config);

    /** The name of the token-embedding matrix [vocab, d], checked against config.json on load. */
    String tokenEmbedding();

    /**
     * The name a stored tensor goes by in Scalpel (transformers' own names for the task-head class), or null for buffers
     * that are not parameters.
     */
    String canonicalName(String stored);

    /** Every hook point of a model of {@code config}, in forward order. */
    List<String> hookPoints(ModelConfig config);

    /** The blocks' linear modules, layer by layer in forward order (the LM head is not among them). */
    List<LinearModule> linearModules(ModelConfig config);

    /** The model object around parameters already in memory. */
    TransformerModel create(ModelConfig config, Parameters params);
}
