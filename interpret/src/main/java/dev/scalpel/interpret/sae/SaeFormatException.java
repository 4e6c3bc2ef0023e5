package dev.scalpel.interpret.sae;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Path;

/**
 * An SAE on disk that cannot be loaded as it stands: a missing or malformed {@code cfg.json} field, an architecture
 * or activation normalization Scalpel does not run, a missing tensor, or tensors whose shapes disagree with the
 * config or with each other. The message names the file and the problem, and where there is one, the fix.
 */
public final class SaeFormatException extends ScalpelException {
    private final Path file;

    public SaeFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SaeFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or folder) at fault. */
    public Path file() {
        return file;
    }
}
