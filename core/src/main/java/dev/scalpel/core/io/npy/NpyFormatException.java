package dev.scalpel.core.io.npy;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Path;

/**
 * A {@code .npy} file or {@code .npz} entry that is malformed, truncated or of a refused kind. The message names the
 * file, the archive entry when there is one, and the problem.
 */
public final class NpyFormatException extends ScalpelException {
    private final Path file;
    private final String entry;

    /** @param entry the {@code .npz} entry at fault, or null for a plain {@code .npy} file */
    public NpyFormatException(Path file, String entry, String problem) {
        super(where(file, entry) + ": " + problem);
        this.file = file;
        this.entry = entry;
    }

    public NpyFormatException(Path file, String entry, String problem, Throwable cause) {
        super(where(file, entry) + ": " + problem, cause);
        this.file = file;
        this.entry = entry;
    }

    private static String where(Path file, String entry) {
        return entry == null ? String.valueOf(file) : file + " (entry " + entry + ")";
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The archive entry at fault, or null when the file is a plain {@code .npy}. */
    public String entry() {
        return entry;
    }
}
