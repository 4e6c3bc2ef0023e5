package dev.scalpel.core.run;

/**
 * Which build of Scalpel produced a result: the version from the jar's manifest, or "development build" when the
 * classes run from a source tree (tests, an IDE). Recorded in provenance, not in run keys: a newer build may resume a
 * run an older one started, and the provenance shows both.
 */
public final class CodeVersion {
    private CodeVersion() {
    }

    public static String current() {
        String version = CodeVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
