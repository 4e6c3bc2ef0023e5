package dev.scalpel.lab.corpus;

/** One document of the training mix, in the format {@link DocumentFormats} defines for its source. */
public record TrainingDocument(Source source, String text) {}
