package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a command's MODEL argument into a model folder. */
final class ModelArgument {
    private ModelArgument() {
    }

    static Path resolve(String argument) {
        Path p = Path.of(argument);
        if (!Files.exists(p)) {
            throw new ScalpelException(argument + ": no such model folder");
        }
        if (!Files.isDirectory(p)) {
            throw new ScalpelException(argument + ": not a folder; pass the Hugging Face model folder that holds config.json");
        }
        return p;
    }
}
