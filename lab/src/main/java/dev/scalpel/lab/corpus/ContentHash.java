package dev.scalpel.lab.corpus;

import dev.scalpel.core.io.Sha256;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of files and of a whole corpus. A corpus's hash is the SHA-256 of the lines {@code sha256sum} would print
 * for its data files ("hex, two spaces, file name, newline", sorted by name), so it can be checked with standard tools:
 * {@code sha256sum train.jsonl validation.jsonl ... | sort -k2 | sha256sum}.
 */
public final class ContentHash {
    private ContentHash() {}

    /** @param fileHashes file name to its SHA-256 */
    public static String ofFiles(Map<String, String> fileHashes) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(fileHashes).forEach((name, hash) -> lines.append(hash).append("  ").append(name).append('\n'));
        return Sha256.of(lines.toString());
    }
}
