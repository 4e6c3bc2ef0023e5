package dev.scalpel.interpret.probe;

/** Hears how far a long extraction has got (thousands of texts through a model take minutes). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} texts are through. */
    void update(int done, int total);
}
