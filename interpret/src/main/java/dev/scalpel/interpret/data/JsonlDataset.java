package dev.scalpel.interpret.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labeled text data set in JSON Lines, parsed by core's {@link JsonLines} (plain or gzip-compressed whatever the
 * file is called, strict UTF-8, blank lines skipped). A line that is not a JSON object holding the text and label
 * fields is an error naming the file and the line, because a silently skipped example changes the class balance a
 * probe is judged on.
 */
public final class JsonlDataset {
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

    private JsonlDataset() {
    }

    public static List<LabeledText> read(Path file, String textField, String labelField) {
        return read(file, Fields.of(textField, labelField));
    }

    public static List<LabeledText> read(Path file, Fields fields) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, fields);
        } catch (NoSuchFileException e) {
            throw new ScalpelException(file + ": no such file");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads from a stream; {@code source} names it in messages. */
    public static List<LabeledText> read(String source, InputStream in, Fields fields) {
        List<LabeledText> out = new ArrayList<>();
        JsonLines.forEach(source, in, (line, o) -> out.add(new LabeledText(
                optional(source, line, o, fields.id(), "line " + line),
                required(source, line, o, fields.text()),
                required(source, line, o, fields.label()),
                optional(source, line, o, fields.group(), null))));
        if (out.isEmpty()) {
            throw new ScalpelException(source + ": no examples (the file holds no JSON lines)");
        }
        return out;
    }

    private static String required(String source, int line, JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new ScalpelException(source + ": line " + line + ": no field '" + field + "' (the line has "
                    + JsonLines.fieldNames(o) + ")");
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
