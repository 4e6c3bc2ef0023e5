package dev.scalpel.lab.corpus;

/** Which corpus a training document comes from. */
public enum Source {
    TEXT,
    FACTS,
    ARITHMETIC,
    PROSE
}
