package dev.scalpel.core.io;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one folder every Scalpel cache and run folder lives under: the system property {@code scalpel.home} if set (tests
 * use it to stay out of the user's home), else {@code $SCALPEL_HOME}, else {@code ~/.cache/scalpel}. Downloaded
 * checkpoints are not here: they go to Hugging Face's own cache ({@code HF_HOME}), shared with Python.
 */
public record ScalpelHome(Path root) {

    /** The home this process uses. */
    public static ScalpelHome fromEnvironment() {
        return fromEnvironment(System.getProperty("scalpel.home"), System.getenv(), System.getProperty("user.home"));
    }

    static ScalpelHome fromEnvironment(String property, Map<String, String> env, String userHome) {
        if (property != null && !property.isBlank()) {
            return new ScalpelHome(Path.of(property));
        }
        String configured = env.get("SCALPEL_HOME");
        if (configured != null && !configured.isBlank()) {
            return new ScalpelHome(Path.of(configured));
        }
        return new ScalpelHome(Path.of(userHome, ".cache", "scalpel"));
    }

    /** Models the lab builds ({@code lab/}). */
    public Path lab() {
        return root.resolve("lab");
    }

    /** Second moments (C0) and other caches of knowledge editing ({@code edit/}). */
    public Path edit() {
        return root.resolve("edit");
    }

    /** Models bundled in the jar, unpacked on first use ({@code bundled/}). */
    public Path bundled() {
        return root.resolve("bundled");
    }

    /** Run folders of one reproduction, e.g. {@code reproductions/editing}. */
    public Path reproductions(String name) {
        return root.resolve("reproductions").resolve(name);
    }

    /** Models the benchmarks build or export ({@code bench-models/}). */
    public Path benchModels() {
        return root.resolve("bench-models");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
