package dev.scalpel.lab.build;

import dev.scalpel.core.io.ScalpelHome;
import java.nio.file.Path;

/**
 * Where lab models live: {@code lab/} under the Scalpel home ({@link ScalpelHome}). Each model has a folder with {@code model/} (a Hugging Face folder), {@code run-HASH/}
 * (the training run folder, keyed by recipe, data and initial weights: its checkpoint and checkpoint ladder), {@code manifest.json} and {@code report/}.
 */
public record LabHome(Path root) {

    public static LabHome fromEnvironment() {
        return new LabHome(ScalpelHome.fromEnvironment().lab());
    }

    /** The folder of one model built with one profile ("lab-lm", or "lab-lm-tiny" for the tiny profile). */
    public Path model(String name, LabProfile profile) {
        return model(name, profile, LabSpec.SEED);
    }

    /** The same for a training seed; the default seed's folder has no suffix ("lab-lm", "lab-lm-seed7"). */
    public Path model(String name, LabProfile profile, long seed) {
        String base = profile == LabProfile.TINY ? name + "-tiny" : name;
        return root.resolve(seed == LabSpec.SEED ? base : base + "-seed" + seed);
    }

    /** Where shipped models are unpacked, one folder per shipped version. */
    public Path shipped() {
        return root.resolve("shipped");
    }

    /** Shared data (corpus files, tokenizer) of a profile and seed. */
    public Path data(LabProfile profile, long seed) {
        return root.resolve("data").resolve(profile.name().toLowerCase() + "-seed" + seed);
    }
}
