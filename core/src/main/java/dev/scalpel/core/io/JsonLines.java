package dev.scalpel.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.Locale;

/**
 * The one JSON Lines parser: input decoded by {@link TextReaders} (gzip or plain, strict UTF-8), a byte-order mark
 * dropped, blank lines skipped, and every other line a JSON object. Anything else is an error naming the source and the
 * 1-based line ({@code data.jsonl: line 3: not valid JSON: ...}), because a silently skipped line changes which texts a
 * result was computed from.
 */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Receives each parsed line. */
    @FunctionalInterface
    public interface LineHandler {
        /** @param line 1-based line number in the source */
        void accept(int line, JsonNode object);
    }

    private JsonLines() {
    }

    /**
     * Parses every non-blank line and hands it over, in order. The stream is closed.
     *
     * @param source names the input in messages (a path, a resource name)
     */
    public static void forEach(String source, InputStream raw, LineHandler handler) {
        try (BufferedReader reader = TextReaders.utf8(raw)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (line == 1) {
                    text = TextReaders.withoutByteOrderMark(text);
                }
                if (text.isBlank()) {
                    continue;
                }
                handler.accept(line, object(source, line, text));
            }
        } catch (CharacterCodingException e) {
            throw new ScalpelException(source + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ScalpelException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The string in {@code field} of a parsed line; an error naming the source, line and field when it is missing or
     * not a string (a number or an object read as text would be hashed and tokenized as something nobody wrote).
     */
    public static String textField(String source, int line, JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new ScalpelException(source + ": line " + line + ": no text field \"" + field + "\""
                    + (value == null ? " (the line has " + fieldNames(object) + ")"
                    : " (it is " + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")"));
        }
        return value.asText();
    }

    /** The line's field names, in order, for messages. */
    public static String fieldNames(JsonNode object) {
        StringBuilder names = new StringBuilder("[");
        object.fieldNames().forEachRemaining(n -> names.append(names.length() > 1 ? ", " : "").append(n));
        return names.append(']').toString();
    }

    private static JsonNode object(String source, int line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScalpelException(source + ": line " + line + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ScalpelException(source + ": line " + line + ": expected a JSON object, found "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return node;
    }
}
