package dev.scalpel.core.io;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Path;

/** A checkpoint file that is malformed, truncated, inconsistent or of a refused kind. */
public class CheckpointFormatException extends ScalpelException {
    private final Path file;

    public CheckpointFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
