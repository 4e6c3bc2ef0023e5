package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import java.util.Arrays;

/** Parses "1,2,3" into token ids. */
final class TokenIds {
    private TokenIds() {
    }

    static long[] parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new ScalpelException("--ids is empty: give comma-separated token ids such as \"1,2,3\"");
        }
        try {
            return Arrays.stream(trimmed.split("\\s*,\\s*")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new ScalpelException("--ids \"" + text + "\" is not a comma-separated list of integers");
        }
    }
}
