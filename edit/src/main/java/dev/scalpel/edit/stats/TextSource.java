package dev.scalpel.edit.stats;

import dev.scalpel.core.io.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Documents to compute statistics over, with a hash that identifies them: a list of strings, or a folder of
 * {@code .txt} files (one document per file) and {@code .jsonl} files (one document per line, its "text" field).
 */
public record TextSource(String name, List<String> documents, String hash) {

    public static TextSource of(String name, List<String> documents) {
        return new TextSource(name, List.copyOf(documents), Sha256.ofTexts(documents));
    }

    /** Reads every .txt and .jsonl file under {@code folder} (sorted by path, so the order is stable). */
    public static TextSource fromFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ScalpelException(folder + ": not a folder of .txt / .jsonl documents");
        }
        ObjectMapper json = new ObjectMapper();
        List<String> docs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".txt")) {
                    docs.add(Files.readString(f, StandardCharsets.UTF_8));
                } else if (n.endsWith(".jsonl")) {
                    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                        String line;
                        int lineNo = 0;
                        while ((line = r.readLine()) != null) {
                            lineNo++;
                            if (line.isBlank()) {
                                continue;
                            }
                            JsonNode node;
                            try {
                                node = json.readTree(line);
                            } catch (IOException e) {
                                throw new ScalpelException(f + ":" + lineNo + ": not a JSON object: " + e.getMessage(), e);
                            }
                            if (node.get("text") == null) {
                                throw new ScalpelException(f + ":" + lineNo + ": no \"text\" field");
                            }
                            docs.add(node.get("text").asText());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot read documents: " + e.getMessage(), e);
        }
        if (docs.isEmpty()) {
            throw new ScalpelException(folder + ": no .txt or .jsonl documents found");
        }
        return of(folder.getFileName().toString(), docs);
    }
}
