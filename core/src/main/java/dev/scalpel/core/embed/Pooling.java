package dev.scalpel.core.embed;

/** How a text's token vectors become one sentence vector. */
public enum Pooling {
    /** The mean over the real tokens ([CLS] and [SEP] included, padding excluded): sentence-transformers' default. */
    MEAN,
    /** The vector of the first token, [CLS]. */
    CLS
}
