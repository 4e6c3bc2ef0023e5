package dev.scalpel.lab.corpus;

import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes one corpus folder's files and remembers each file's SHA-256 for the datasheet. */
final class CorpusFiles {
    private final Path folder;
    private final Map<String, String> hashes = new LinkedHashMap<>();

    CorpusFiles(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new ScalpelException("corpus folder " + folder + " could not be created: " + e.getMessage(), e);
        }
    }

    /** One JSON record per line, UTF-8, "\n" after every line. */
    void jsonl(String name, List<?> records) {
        StringBuilder text = new StringBuilder();
        for (Object record : records) {
            text.append(json(name, record, false)).append('\n');
        }
        data(name, text.toString());
    }

    /** One indented JSON document (a list of records), with a final newline. */
    void json(String name, Object value) {
        data(name, json(name, value, true) + "\n");
    }

    /** A data file: hashed and listed in the datasheet. */
    void data(String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(name, bytes);
        hashes.put(name, Sha256.of(bytes));
    }

    /** Writes the datasheet twice (JSON and Markdown); datasheets describe the data files and are not hashed. */
    void datasheet(Datasheet sheet) {
        write("datasheet.json", (json("datasheet.json", sheet, true) + "\n").getBytes(StandardCharsets.UTF_8));
        write("datasheet.md", sheet.toMarkdown().getBytes(StandardCharsets.UTF_8));
    }

    Map<String, String> hashes() {
        return hashes;
    }

    private String json(String name, Object value, boolean pretty) {
        try {
            return (pretty ? CorpusJson.PRETTY : CorpusJson.LINE).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ScalpelException("corpus file " + folder.resolve(name) + ": a record could not be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private void write(String name, byte[] bytes) {
        AtomicFiles.writeBytes(folder.resolve(name), bytes);
    }
}
