package dev.scalpel.lab.build;

import java.nio.file.Path;

/**
 * Where lab models live: {@code ~/.cache/scalpel/lab}, or {@code $SCALPEL_LAB_HOME}, or the system property
 * {@code scalpel.lab.home}. Each model has a folder with {@code model/} (a Hugging Face folder), {@code run/} (the
 * resumable training state and the checkpoint ladder), {@code manifest.json} and {@code report/}.
 */
public record LabHome(Path root) {

    public static LabHome fromEnvironment() {
        String prop = System.getProperty("scalpel.lab.home");
        if (prop != null) {
            return new LabHome(Path.of(prop));
        }
        String env = System.getenv("SCALPEL_LAB_HOME");
        if (env != null && !env.isBlank()) {
            return new LabHome(Path.of(env));
        }
        return new LabHome(Path.of(System.getProperty("user.home"), ".cache", "scalpel", "lab"));
    }

    /** The folder of one model built with one profile ("lab-lm", or "lab-lm-tiny" for the tiny profile). */
    public Path model(String name, LabProfile profile) {
        return root.resolve(profile == LabProfile.TINY ? name + "-tiny" : name);
    }

    /** Shared data (corpus files, tokenizer) of a profile and seed. */
    public Path data(LabProfile profile, long seed) {
        return root.resolve("data").resolve(profile.name().toLowerCase() + "-seed" + seed);
    }
}
