package dev.scalpel.interpret.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the texts of a harvest: a {@code .txt} file (one text per line), a {@code .jsonl} or {@code .jsonl.gz} file
 * (one JSON object per line, the text in a named field), or a folder of such files (read in name order, not
 * recursively). Blank lines are skipped; the order is stable, so a resumed harvest sees the same texts.
 */
public final class TextDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextDataset() {
    }

    /** @param textField the field of a JSON line that holds the text (usually {@code text}) */
    public static List<String> read(Path fileOrFolder, String textField) {
        List<String> texts = new ArrayList<>();
        if (Files.isDirectory(fileOrFolder)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(fileOrFolder)) {
                files = list.filter(Files::isRegularFile).filter(TextDataset::supported).sorted().toList();
            } catch (IOException e) {
                throw new ScalpelException(fileOrFolder + ": cannot list: " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new ScalpelException(fileOrFolder + ": no .txt, .jsonl or .jsonl.gz files in this folder");
            }
            for (Path f : files) {
                readFile(f, textField, texts);
            }
        } else {
            if (!supported(fileOrFolder)) {
                throw new ScalpelException(fileOrFolder + ": give a .txt (one text per line), .jsonl or .jsonl.gz file,"
                        + " or a folder of them");
            }
            readFile(fileOrFolder, textField, texts);
        }
        if (texts.isEmpty()) {
            throw new ScalpelException(fileOrFolder + ": no texts (every line is blank)");
        }
        return texts;
    }

    private static boolean supported(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".txt") || n.endsWith(".jsonl") || n.endsWith(".jsonl.gz");
    }

    private static void readFile(Path file, String field, List<String> into) {
        String name = file.getFileName().toString();
        boolean json = !name.endsWith(".txt");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT)))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);   // a byte-order mark is not text
                }
                if (line.isBlank()) {
                    continue;
                }
                into.add(json ? field(file, number, line, field) : line);
            }
        } catch (NoSuchFileException e) {
            throw new ScalpelException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new ScalpelException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String field(Path file, int line, String text, String field) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new ScalpelException(file + ":" + line + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ScalpelException(file + ":" + line + ": no text field \"" + field + "\""
                    + (value == null ? "" : " (it is " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")")
                    + "; name the field with --text-field");
        }
        return value.asText();
    }
}
