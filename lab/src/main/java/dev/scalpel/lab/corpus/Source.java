package dev.scalpel.lab.corpus;

/** Which corpus a training document comes from. */
public enum Source {
    TEXT,
    FACTS,
    ARITHMETIC,
    /** Drills: the step equations of the training problems, one per line ("13 - 4 = 9"). */
    DRILLS
}
