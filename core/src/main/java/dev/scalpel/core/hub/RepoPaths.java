package dev.scalpel.core.hub;

import java.nio.file.Path;

/**
 * Repository file paths ('/'-separated, relative to the repository root) as they come from the server. A listing is
 * untrusted input: a name such as {@code ../../.bashrc} or {@code /etc/x} would write outside the cache, so every
 * path is checked before it touches the file system.
 */
final class RepoPaths {
    private RepoPaths() {
    }

    /** The path as a relative local path, or an error naming it if it could leave the snapshot folder. */
    static Path check(String repoPath) {
        if (!isSafe(repoPath)) {
            throw new HubException(HubException.Reason.PROTOCOL, "the hub listed the file name '" + repoPath
                    + "', which could write outside the cache (absolute, '..', empty part or backslash); refused");
        }
        String[] parts = repoPath.split("/");
        return Path.of(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
    }

    static boolean isSafe(String repoPath) {
        if (repoPath == null || repoPath.isEmpty() || repoPath.startsWith("/") || repoPath.contains("\\")
                || repoPath.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        String[] parts = repoPath.split("/", -1);
        if (parts[0].contains(":")) {
            return false;   // a Windows drive ("C:x") would make the path absolute there
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
