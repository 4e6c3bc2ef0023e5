package dev.scalpel.core.model;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Path;

/** A model configuration that is missing a key, holds a bad value, or names an unsupported architecture. */
public class ConfigException extends ScalpelException {
    public ConfigException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ConfigException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
