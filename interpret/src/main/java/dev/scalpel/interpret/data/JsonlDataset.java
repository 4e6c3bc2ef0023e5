package dev.scalpel.interpret.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A labelled text data set in JSON Lines: one JSON object per line, plain or gzip-compressed (recognised by its magic
 * bytes, whatever the file is called). Blank lines are skipped. Any other line that is not a JSON object holding the
 * text and label fields is an error naming the file and the line, because a silently skipped example changes the
 * class balance a probe is judged on.
 */
public final class JsonlDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Which fields hold what.
     *
     * @param text the text field (required in every line)
     * @param label the label field (required; a string, number or boolean)
     * @param group an optional grouping field, read where present; null to ignore
     * @param id an optional id field, read where present; {@code line N} otherwise; null to always use line numbers
     */
    public record Fields(String text, String label, String group, String id) {
        public Fields {
            Objects.requireNonNull(text, "text field");
            Objects.requireNonNull(label, "label field");
        }

        /** The text and label fields given, {@code group} and {@code id} where the lines have them. */
        public static Fields of(String text, String label) {
            return new Fields(text, label, "group", "id");
        }
    }

    /** Receives each parsed line. */
    @FunctionalInterface
    public interface LineHandler {
        /** @param line 1-based line number in the file */
        void accept(int line, JsonNode object);
    }

    private JsonlDataset() {
    }

    public static List<LabelledText> read(Path file, String textField, String labelField) {
        return read(file, Fields.of(textField, labelField));
    }

    public static List<LabelledText> read(Path file, Fields fields) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, fields);
        } catch (NoSuchFileException e) {
            throw new ScalpelException(file + ": no such file");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads from a stream; {@code source} names it in messages. */
    public static List<LabelledText> read(String source, InputStream in, Fields fields) {
        List<LabelledText> out = new ArrayList<>();
        forEachLine(source, in, (line, o) -> out.add(new LabelledText(
                optional(source, line, o, fields.id(), "line " + line),
                required(source, line, o, fields.text()),
                required(source, line, o, fields.label()),
                optional(source, line, o, fields.group(), null))));
        if (out.isEmpty()) {
            throw new ScalpelException(source + ": no examples (the file holds no JSON lines)");
        }
        return out;
    }

    /** Parses every non-blank line as a JSON object and hands it over; errors name the source and line. */
    public static void forEachLine(String source, InputStream raw, LineHandler handler) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8))) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new ScalpelException(source + ": line " + line + ": not valid JSON: "
                            + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) {
                    throw new ScalpelException(source + ": line " + line + ": expected a JSON object, found "
                            + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
                }
                handler.accept(line, node);
            }
        } catch (IOException e) {
            throw new ScalpelException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static String required(String source, int line, JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            List<String> present = new ArrayList<>();
            o.fieldNames().forEachRemaining(present::add);
            throw new ScalpelException(source + ": line " + line + ": no field '" + field + "' (the line has "
                    + present + ")");
        }
        return scalar(source, line, field, v);
    }

    private static String optional(String source, int line, JsonNode o, String field, String absent) {
        if (field == null) {
            return absent;
        }
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? absent : scalar(source, line, field, v);
    }

    private static String scalar(String source, int line, String field, JsonNode v) {
        if (!v.isValueNode()) {
            throw new ScalpelException(source + ": line " + line + ": field '" + field + "' is a "
                    + v.getNodeType().toString().toLowerCase() + "; expected a string, number or boolean");
        }
        return v.asText();
    }
}
