package dev.scalpel.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Hugging Face {@code config.json} (or {@code generation_config.json}) as read from disk, with typed accessors whose
 * errors name the file and the key. Architecture records read their fields through this class.
 */
public final class HfConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode root;

    public HfConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads and parses a JSON configuration file; a missing file or malformed JSON is a {@link ConfigException}. */
    public static HfConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file, "file not found");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (!(node instanceof ObjectNode object)) {
                throw new ConfigException(file, "expected a JSON object at the top level");
            }
            return new HfConfig(file, object);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public ObjectNode json() {
        return root;
    }

    public boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    /** A nested object (for example {@code rope_parameters}) as its own config, if present and not null. */
    public Optional<HfConfig> object(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!(n instanceof ObjectNode o)) {
            throw new ConfigException(file, "key '" + key + "' should be an object but is " + n.getNodeType());
        }
        return Optional.of(new HfConfig(file, o));
    }

    public int requireInt(String key) {
        long value = requireLong(key);
        if (value != (int) value) {
            throw new ConfigException(file, "key '" + key + "' is " + value + ", beyond the range of a 32-bit integer");
        }
        return (int) value;
    }

    /** A size or count: the model cannot be built from zero heads, layers or widths (it would divide by them). */
    public int requirePositiveInt(String key) {
        int value = requireInt(key);
        if (value < 1) {
            throw new ConfigException(file, "key '" + key + "' must be a positive integer, not " + value);
        }
        return value;
    }

    public long requireLong(String key) {
        JsonNode n = require(key);
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw new ConfigException(file, "key '" + key + "' should be an integer but is " + n);
        }
        return n.asLong();
    }

    public int intOr(String key, int fallback) {
        return has(key) ? requireInt(key) : fallback;
    }

    public Optional<Integer> optionalInt(String key) {
        return has(key) ? Optional.of(requireInt(key)) : Optional.empty();
    }

    public double requireDouble(String key) {
        JsonNode n = require(key);
        if (!n.isNumber()) {
            throw new ConfigException(file, "key '" + key + "' should be a number but is " + n);
        }
        return n.asDouble();
    }

    public double doubleOr(String key, double fallback) {
        return has(key) ? requireDouble(key) : fallback;
    }

    public Optional<Double> optionalDouble(String key) {
        return has(key) ? Optional.of(requireDouble(key)) : Optional.empty();
    }

    public String requireString(String key) {
        JsonNode n = require(key);
        if (!n.isTextual()) {
            throw new ConfigException(file, "key '" + key + "' should be a string but is " + n);
        }
        return n.asText();
    }

    public String stringOr(String key, String fallback) {
        return has(key) ? requireString(key) : fallback;
    }

    public boolean boolOr(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = root.get(key);
        if (!n.isBoolean()) {
            throw new ConfigException(file, "key '" + key + "' should be true or false but is " + n);
        }
        return n.asBoolean();
    }

    public List<String> stringListOr(String key, List<String> fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = root.get(key);
        if (!n.isArray()) {
            throw new ConfigException(file, "key '" + key + "' should be a list but is " + n.getNodeType());
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** Token ids given either as one integer or as a list (HF allows both for {@code eos_token_id}). */
    public List<Integer> tokenIds(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode n = root.get(key);
        List<Integer> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asInt()));
        } else if (n.isIntegralNumber()) {
            out.add(n.asInt());
        } else {
            throw new ConfigException(file, "key '" + key + "' should be a token id or a list of them but is " + n);
        }
        return out;
    }

    private JsonNode require(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new ConfigException(file, "missing required key '" + key + "'");
        }
        return n;
    }
}
