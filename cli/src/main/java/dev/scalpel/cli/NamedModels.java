package dev.scalpel.cli;

import dev.scalpel.core.embed.MiniLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Models Scalpel can name without a folder: each name resolves to a Hugging Face folder it prepares on first use. */
final class NamedModels {
    private static final Map<String, Supplier<Path>> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put(MiniLm.NAME, MiniLm::exportedFolder);
    }

    private NamedModels() {
    }

    static boolean knows(String name) {
        return MODELS.containsKey(name);
    }

    static Path folder(String name) {
        return MODELS.get(name).get();
    }

    static Set<String> names() {
        return MODELS.keySet();
    }
}
