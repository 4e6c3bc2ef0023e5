package dev.scalpel.core.hparams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.scalpel.core.ScalpelException;

/**
 * One {@code --hparam name=value}: a dotted key into the file ({@code value.steps}) and the value that replaces it,
 * read as JSON ({@code 30}, {@code true}, {@code [1,2]}) or, when it is not JSON, as a string.
 *
 * @param written the argument as the user wrote it, for error messages
 */
public record HyperparameterOverride(String key, JsonNode value, String written) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static HyperparameterOverride parse(String argument) {
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            throw new ScalpelException("--hparam " + argument + ": expected name=value, e.g. value.steps=30");
        }
        String key = argument.substring(0, eq).strip();
        String text = argument.substring(eq + 1).strip();
        return new HyperparameterOverride(key, asJson(text), argument);
    }

    /** A value that is not JSON is a string: {@code architecture=topk} needs no quotes on a shell's command line. */
    private static JsonNode asJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }
}
