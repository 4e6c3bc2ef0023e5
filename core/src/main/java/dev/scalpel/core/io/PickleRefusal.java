package dev.scalpel.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Recognizes PyTorch pickle checkpoints by file name only. Unpickling runs arbitrary code from the
 * file, so these are refused without ever being opened.
 */
final class PickleRefusal {
    private static final List<String> SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt");

    private PickleRefusal() {}

    /** Names of the folder's entries that look like pickle checkpoints, sorted. */
    static List<String> pickleFiles(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(PickleRefusal::looksLikePickle)
                    .sorted()
                    .toList();
        }
    }

    static boolean looksLikePickle(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    static CheckpointFormatException refuse(Path folder, List<String> pickleFiles) {
        return new CheckpointFormatException(folder, "only pickle checkpoints found (" + String.join(", ", pickleFiles)
                + "); pickle checkpoints are refused and never deserialized, because loading one can run "
                + "arbitrary code; convert to safetensors first (e.g. in Python: "
                + "safetensors.torch.save_file(torch.load(path, weights_only=True), 'model.safetensors'))");
    }
}
