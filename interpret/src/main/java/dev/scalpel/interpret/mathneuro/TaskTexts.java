package dev.scalpel.interpret.mathneuro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The samples of a task, read from a file: a {@code .txt} file has one sample per non-blank line; each line of a
 * {@code .jsonl} file is one object, its {@code "text"}, or a GSM8K-style {@code "question"} and {@code "answer"}
 * (the question and its worked solution, as MathNeuro scores math samples).
 */
public final class TaskTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskTexts() {
    }

    public static List<String> read(Path file) {
        String name = file.getFileName().toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            out.add(name.endsWith(".jsonl") ? fromJson(file, i + 1, line) : line);
        }
        if (out.isEmpty()) {
            throw new ScalpelException(file + ": no samples (a .txt file needs non-blank lines, a .jsonl file objects)");
        }
        return out;
    }

    private static String fromJson(Path file, int lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new ScalpelException(file + ":" + lineNumber + ": not JSON: " + e.getMessage(), e);
        }
        if (node.path("text").isTextual()) {
            return node.path("text").asText();
        }
        if (node.path("question").isTextual() && node.path("answer").isTextual()) {
            return node.path("question").asText() + "\n" + node.path("answer").asText();
        }
        throw new ScalpelException(file + ":" + lineNumber + ": needs a \"text\" field, or \"question\" and \"answer\"");
    }

    /** {@code n} samples drawn with replacement (the reference's draw), seeded. */
    public static List<String> draw(List<String> texts, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(texts.get(random.nextInt(texts.size())));
        }
        return out;
    }
}
