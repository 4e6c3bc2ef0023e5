package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The small checkpoints shipped inside the command-line jar for the tour: gpt2-tiny (the real GPT-2 tokenizer, random
 * weights) and llama-tiny (sharded, grouped-query attention, llama3 rope), both made with transformers.
 */
final class BundledModels {
    static final List<String> GPT2_FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "tokenizer.json", "tokenizer_config.json");
    static final List<String> LLAMA_FILES = List.of("config.json", "generation_config.json",
            "model.safetensors.index.json", "model-00001-of-00006.safetensors", "model-00002-of-00006.safetensors",
            "model-00003-of-00006.safetensors", "model-00004-of-00006.safetensors", "model-00005-of-00006.safetensors",
            "model-00006-of-00006.safetensors", "tokenizer.json", "tokenizer_config.json");

    private BundledModels() {
    }

    /** Copies a bundled model into {@code cache}/name (once) and returns that folder. */
    static Path extract(String name, List<String> files, Path cache) {
        Path folder = cache.resolve(name);
        try {
            Files.createDirectories(folder);
            for (String f : files) {
                Path target = folder.resolve(f);
                if (Files.exists(target)) {
                    continue;
                }
                try (InputStream in = BundledModels.class.getResourceAsStream("/bundled/" + name + "/" + f)) {
                    if (in == null) {
                        throw new ScalpelException("the scalpel jar lacks bundled/" + name + "/" + f + "; rebuild it");
                    }
                    Path tmp = Files.createTempFile(folder, f, ".part");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot unpack the bundled model: " + e.getMessage(), e);
        }
    }
}
