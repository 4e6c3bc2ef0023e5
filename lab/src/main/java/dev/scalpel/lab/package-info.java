/**
 * The lab: corpora that Scalpel builds offline from data shipped on Maven Central (WordNet 3.1 text and facts,
 * synthetic arithmetic word problems), a byte-level BPE tokenizer trained on them, and small models trained with
 * Scalpel's own runtime and saved in Hugging Face layout, so that every method can be tested end to end on models that
 * really know things.
 */
package dev.scalpel.lab;
