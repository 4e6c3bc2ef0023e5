package dev.scalpel.core.hparams;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a method's hyperparameters: a named file among Scalpel's resources ({@code hparams/{method}/{name}.json}) or a
 * JSON file on disk, with {@code --hparam} overrides applied, bound to the method's record.
 *
 * <p>Strict, because a misspelt key that silently kept its default would make an experiment other than the one
 * described: every record field must be present, unknown keys, duplicated keys, nulls and values of the wrong type
 * (a string for a number, a fraction for an integer) are errors that name the file and the key.
 */
public final class HyperparameterFiles {
    private static final ObjectMapper STRICT = strictMapper();
    private static final java.util.regex.Pattern MISSING =
            java.util.regex.Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private HyperparameterFiles() {
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /** The resource path of a named file: {@code hparams/rome/gpt2-xl.json}. */
    public static String resource(String method, String name) {
        return "hparams/" + method + "/" + name + ".json";
    }

    /** Whether Scalpel ships a file of that name for {@code method} (on {@code type}'s class path). */
    public static boolean exists(Class<?> type, String method, String name) {
        return type.getClassLoader().getResource(resource(method, name)) != null;
    }

    /**
     * Loads {@code type} from {@code nameOrPath}: a JSON file on disk if one is there (or the argument ends in .json),
     * else Scalpel's named file {@code hparams/{method}/{nameOrPath}.json}; then applies {@code overrides} in order.
     */
    public static <T> T load(Class<T> type, String method, String nameOrPath, List<HyperparameterOverride> overrides) {
        Path path = Path.of(nameOrPath);
        boolean onDisk = Files.isRegularFile(path) || nameOrPath.endsWith(".json");
        String source = onDisk ? path.toString() : resource(method, nameOrPath);
        ObjectNode tree = onDisk ? readFile(path) : readResource(type, method, nameOrPath);
        for (HyperparameterOverride o : overrides) {
            apply(tree, o, source);
        }
        return bind(tree, type, source, overrides);
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScalpelException(file + ": no such hyperparameter file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static ObjectNode readResource(Class<?> type, String method, String name) {
        String resource = resource(method, name);
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ScalpelException(resource + ": Scalpel has no hyperparameters named '" + name + "' for "
                        + method + "; pass a JSON file instead");
            }
            return parse(in, resource);
        } catch (IOException e) {
            throw new ScalpelException(resource + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(InputStream in, String source) throws IOException {
        try {
            JsonNode node = STRICT.readTree(in);
            if (!(node instanceof ObjectNode object)) {
                throw new ScalpelException(source + ": expected a JSON object of hyperparameters");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new ScalpelException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Replaces one existing key: an override can change a value, never add a key the record does not have. */
    private static void apply(ObjectNode tree, HyperparameterOverride o, String source) {
        String[] parts = o.key().split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null) {
                String where = i == 0 ? "" : " under '" + String.join(".", List.of(parts).subList(0, i)) + "'";
                throw new ScalpelException("--hparam " + o.written() + ": " + source + " has no key '" + parts[i] + "'"
                        + where + " (its keys: " + keys(parent) + ")");
            }
            if (i == parts.length - 1) {
                parent.set(parts[i], o.value());
            } else if (child instanceof ObjectNode object) {
                parent = object;
            } else {
                throw new ScalpelException("--hparam " + o.written() + ": '" + parts[i] + "' in " + source
                        + " is a value, not a group of keys");
            }
        }
    }

    private static String keys(ObjectNode node) {
        return node.propertyStream().map(java.util.Map.Entry::getKey).collect(Collectors.joining(", "));
    }

    private static <T> T bind(ObjectNode tree, Class<T> type, String source, List<HyperparameterOverride> overrides) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ScalpelException(source + ": unknown key '" + keyOf(e) + "' (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                    + ")", e);
        } catch (JsonMappingException e) {
            String key = keyOf(e);
            java.util.regex.Matcher missing = MISSING.matcher(String.valueOf(e.getOriginalMessage()));
            if (missing.find()) {
                // Jackson's path already ends at the missing property in some versions and at its parent in others.
                String full = key.equals(missing.group(1)) || key.endsWith("." + missing.group(1)) ? key
                        : (key.isEmpty() ? "" : key + ".") + missing.group(1);
                throw new ScalpelException(source + ": missing key '" + full + "' (every hyperparameter must be given)", e);
            }
            // The overrides of this key or of keys inside it, which the user will want to see beside the error.
            String overridden = overrides.stream().filter(o -> o.key().equals(key) || o.key().startsWith(key + "."))
                    .map(HyperparameterOverride::written).reduce((a, b) -> a + ", --hparam " + b)
                    .map(w -> " (set by --hparam " + w + ")").orElse("");
            Throwable cause = e.getCause() != null && !(e.getCause() instanceof JsonProcessingException) ? e.getCause() : e;
            String reason = cause == e ? e.getOriginalMessage() : cause.getMessage();
            if (key.isEmpty()) {
                // A record's own check (a value out of range, two values that contradict) is about the whole record.
                String with = overrides.isEmpty() ? "" : " with --hparam " + overrides.stream()
                        .map(HyperparameterOverride::written).collect(Collectors.joining(", --hparam "));
                throw new ScalpelException(source + with + ": " + firstLine(reason), e);
            }
            throw new ScalpelException(source + ": key '" + key + "'" + overridden + ": " + firstLine(reason), e);
        } catch (JsonProcessingException e) {
            throw new ScalpelException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The dotted key a mapping error is about ({@code value.steps}, {@code layers[1]}). */
    private static String keyOf(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                key.append(key.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                key.append('[').append(r.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
