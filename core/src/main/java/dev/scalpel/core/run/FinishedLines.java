package dev.scalpel.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A resumable run's log of finished results, one JSON object a line, appended as each finishes. Unlike input data
 * (read strictly by core's JsonLines), a line cut by a kill is expected here: it is reported and its result recomputed.
 */
public final class FinishedLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FinishedLines() {
    }

    /** Every finished result in {@code file} by {@code key}; a later line of the same key replaces an earlier one. */
    public static <T> Map<String, T> read(Path file, Class<T> type, Function<T, String> key) throws IOException {
        Map<String, T> finished = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return finished;
        }
        int line = 0;
        for (String s : Files.readAllLines(file)) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            try {
                T value = JSON.readValue(s, type);
                finished.put(key.apply(value), value);
            } catch (IOException e) {
                System.err.println(file + ": line " + line + " is not a finished result; it will be recomputed");
            }
        }
        return finished;
    }

    public static void append(Path file, Object result) {
        try {
            Files.writeString(file, JSON.writeValueAsString(result) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot record a finished result", e);
        }
    }
}
