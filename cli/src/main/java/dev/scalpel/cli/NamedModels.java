package dev.scalpel.cli;

import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
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
        for (String lab : LabSpec.NAMES) {
            MODELS.put(lab, () -> labModel(lab, LabProfile.DEFAULT));
            MODELS.put(lab + "-tiny", () -> labModel(lab, LabProfile.TINY));
        }
    }

    /** A lab model's folder: the user's own build, else the shipped model; building one takes hours, so it is never implicit. */
    private static Path labModel(String name, LabProfile profile) {
        return new LabBuilder(LabHome.fromEnvironment(), true).resolve(name, profile);
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
