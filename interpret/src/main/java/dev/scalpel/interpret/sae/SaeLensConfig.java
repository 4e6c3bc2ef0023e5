package dev.scalpel.interpret.sae;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The parts of a SAELens {@code cfg.json} that decide what the SAE computes, read from either config generation.
 *
 * <p>SAELens 6 nests where the SAE belongs under {@code metadata} ({@code model_name}, {@code hook_name},
 * {@code context_size}, {@code prepend_bos}, ...) and names TopK's k {@code k}; earlier versions are flat, call the
 * hook {@code hook_point} (before 4.x) or {@code hook_name}, may omit {@code architecture} (then standard), spell TopK
 * as {@code activation_fn_str: "topk"} with {@code activation_fn_kwargs: {k}}, and may store
 * {@code normalize_activations} as a boolean. Reading looks in both places, so a config of either generation loads;
 * fields that do not change the computation (dataset, learning rate, device, ...) are ignored.
 *
 * <p>Strict where a guess would silently give wrong features: {@code d_in} and {@code d_sae} are required, a v6
 * config must name its architecture, TopK needs its k, gated SAEs and every activation normalization other than
 * {@code none} are refused with the reason (each needs inputs transformed by statistics or code the folder does not
 * hold). TopK's {@code rescale_acts_by_decoder_norm} is kept here and folded into the weights by the loader.
 *
 * @param k TopK's k; 0 for the other architectures
 * @param rescaleActsByDecoderNorm TopK only: pre-activations are scaled by the decoder row norms before the top k is
 *     taken, and features divided by them before decoding
 * @param hookHeadIndex the attention head a per-head SAE reads, or null
 * @param dtype the dtype the config names (informational: tensors are widened to float32 whatever it says)
 */
public record SaeLensConfig(SaeArchitecture architecture, int dIn, int dSae, int k, boolean applyBDecToInput,
                            boolean rescaleActsByDecoderNorm, SaeMetadata metadata, Integer hookHeadIndex,
                            String dtype) {

    /** The SAELens version written into saved configs; 6.0 or later makes SAELens read the nested layout. */
    public static final String WRITTEN_SAE_LENS_VERSION = "6.0.0";

    // Python's json.dump writes NaN and Infinity, which occur in old training configs; they are harmless here.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public SaeLensConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(metadata, "metadata");
        dtype = dtype == null ? "float32" : dtype;
        if (architecture != SaeArchitecture.TOPK) {
            k = 0;
            rescaleActsByDecoderNorm = false;
        }
    }

    /** The config that describes {@code sae} as it computes (any rescaling already folded into its weights). */
    public static SaeLensConfig of(SparseAutoencoder sae) {
        return new SaeLensConfig(sae.architecture(), sae.dIn(), sae.dSae(), sae.k(), sae.applyBDecToInput(), false,
                sae.metadata(), null, "float32");
    }

    /**
     * Reads a {@code cfg.json} of either generation.
     *
     * @throws SaeFormatException naming the file and the field at fault
     */
    public static SaeLensConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SaeFormatException(file, "no such file");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    /** Parses {@code cfg.json} text; {@code file} is named in errors. */
    public static SaeLensConfig parse(String json, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SaeFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SaeFormatException(file, "not a JSON object; a SAELens cfg.json is an object of fields");
        }
        return new Reader(root, file).config();
    }

    /** The config in SAELens 6's layout, with every field SAELens 6 needs to load standard, TopK and JumpReLU SAEs. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", architecture.saeLensName());
        root.put("d_in", dIn);
        root.put("d_sae", dSae);
        root.put("dtype", "float32");
        root.put("device", "cpu");
        root.put("apply_b_dec_to_input", applyBDecToInput);
        root.put("normalize_activations", "none");
        // SAELens flattens [.., n_heads, d_head] inputs of hook_z SAEs itself; it infers the same from the hook name.
        root.put("reshape_activations", metadata.hookName().endsWith("hook_z") ? "hook_z" : "none");
        if (architecture == SaeArchitecture.TOPK) {
            root.put("k", k);
            root.put("rescale_acts_by_decoder_norm", rescaleActsByDecoderNorm);
        }
        ObjectNode meta = root.putObject("metadata");
        meta.put("sae_lens_version", WRITTEN_SAE_LENS_VERSION);
        putOrNull(meta, "model_name", metadata.modelName());
        putOrNull(meta, "hook_name", metadata.hookName());
        if (hookHeadIndex == null) {
            meta.putNull("hook_head_index");
        } else {
            meta.put("hook_head_index", hookHeadIndex);
        }
        if (metadata.contextSize() > 0) {
            meta.put("context_size", metadata.contextSize());
        } else {
            meta.putNull("context_size");
        }
        meta.put("prepend_bos", metadata.prependBos());
        meta.put("exclude_special_tokens", metadata.excludeBos());
        meta.put("written_by", "scalpel");
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putOrNull(ObjectNode node, String key, String value) {
        if (value == null || value.isEmpty()) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /** One parse: field lookups that search the v6 metadata object and the top level, with errors naming the file. */
    private static final class Reader {
        private final JsonNode root;
        private final JsonNode meta;
        private final Path file;

        Reader(JsonNode root, Path file) {
            this.root = root;
            this.meta = root.path("metadata").isObject() ? root.get("metadata") : null;
            this.file = file;
        }

        private boolean nested() {
            return meta != null;
        }

        /** A field of where-the-SAE-belongs: under metadata in v6, at the top level before; either is accepted. */
        private JsonNode metaField(String... names) {
            for (String name : names) {
                if (meta != null && present(meta.get(name))) {
                    return meta.get(name);
                }
                if (present(root.get(name))) {
                    return root.get(name);
                }
            }
            return null;
        }

        private static boolean present(JsonNode n) {
            return n != null && !n.isNull();
        }

        private SaeFormatException error(String problem) {
            return new SaeFormatException(file, problem);
        }

        SaeLensConfig config() {
            int dIn = positiveInt("d_in", root.get("d_in"));
            int dSae = positiveInt("d_sae", root.get("d_sae"));
            SaeArchitecture architecture = architecture();
            checkNormalization();
            checkReshape();
            int k = 0;
            boolean rescale = false;
            if (architecture == SaeArchitecture.TOPK) {
                k = k(dSae);
                rescale = bool("rescale_acts_by_decoder_norm", root.get("rescale_acts_by_decoder_norm"), false);
            }
            boolean applyBDec = bool("apply_b_dec_to_input", root.get("apply_b_dec_to_input"), true);
            SaeMetadata metadata = new SaeMetadata(
                    text("model_name", metaField("model_name")),
                    text("hook_name", metaField("hook_name", "hook_point")),
                    contextSize(),
                    bool("prepend_bos", metaField("prepend_bos"), true),
                    excludeSpecialTokens());
            JsonNode head = metaField("hook_head_index", "hook_point_head_index");
            Integer hookHeadIndex = head == null ? null : nonNegativeInt("hook_head_index", head);
            JsonNode dtype = root.get("dtype");
            return new SaeLensConfig(architecture, dIn, dSae, k, applyBDec, rescale, metadata, hookHeadIndex,
                    dtype != null && dtype.isTextual() ? dtype.asText() : "float32");
        }

        private SaeArchitecture architecture() {
            JsonNode node = root.get("architecture");
            String name;
            if (present(node)) {
                if (!node.isTextual()) {
                    throw error("field 'architecture' must be a string, got " + node);
                }
                name = node.asText().toLowerCase(Locale.ROOT);
            } else if (nested()) {
                throw error("field 'architecture' is missing; a SAELens 6 config names it (standard, topk or jumprelu)");
            } else {
                name = "standard";   // what SAELens assumes for configs older than the field
            }
            if (name.equals("gated")) {
                throw error("architecture 'gated' is not supported: a gated SAE computes its features through a"
                        + " separate gate path (b_gate, r_mag, b_mag) that Scalpel does not run; convert it, or use a"
                        + " standard, topk or jumprelu SAE");
            }
            SaeArchitecture architecture;
            try {
                architecture = SaeArchitecture.fromSaeLens(name);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            // Before SAELens 6, TopK SAEs were often 'standard' SAEs whose activation function was topk.
            String activation = text("activation_fn_str", metaField("activation_fn_str", "activation_fn"));
            activation = activation.isEmpty() ? "relu" : activation.toLowerCase(Locale.ROOT);
            if (architecture == SaeArchitecture.STANDARD) {
                if (activation.equals("topk")) {
                    return SaeArchitecture.TOPK;
                }
                if (!activation.equals("relu")) {
                    throw error("activation function '" + activation + "' is not supported (Scalpel runs relu and"
                            + " topk for standard SAEs)");
                }
            }
            return architecture;
        }

        private int k(int dSae) {
            JsonNode node = root.get("k");
            if (!present(node)) {
                JsonNode kwargs = metaField("activation_fn_kwargs");
                node = kwargs != null && kwargs.isObject() ? kwargs.get("k") : null;
            }
            if (!present(node)) {
                throw error("a TopK SAE needs its k: field 'k' (SAELens 6) or activation_fn_kwargs.k (earlier) is"
                        + " missing");
            }
            int k = positiveInt("k", node);
            if (k > dSae) {
                throw error("field 'k' is " + k + ", more than d_sae " + dSae);
            }
            return k;
        }

        private void checkNormalization() {
            JsonNode node = root.get("normalize_activations");
            if (!present(node) || node.isBoolean() && !node.asBoolean()) {
                return;
            }
            String mode = node.isBoolean() ? "expected_average_only_in" : node.asText();
            String why = switch (mode) {
                case "none" -> null;
                case "expected_average_only_in" -> "inputs were scaled during training by a dataset-wide factor"
                        + " (so that their mean norm was sqrt(d_in)); the factor is not stored with the SAE. Fold it"
                        + " into the weights (W_enc * s, W_dec / s, b_dec / s) and set normalize_activations to none";
                case "constant_norm_rescale" -> "every input is rescaled to norm sqrt(d_in) before encoding and the"
                        + " reconstruction scaled back, a per-token transform Scalpel does not apply";
                case "layer_norm" -> "every input is layer-normalized before encoding and the reconstruction"
                        + " de-normalized, a per-token transform Scalpel does not apply";
                default -> "it is not a mode SAELens knows (none, expected_average_only_in, constant_norm_rescale,"
                        + " layer_norm)";
            };
            if (why != null) {
                throw error("normalize_activations '" + mode + "' is not supported: " + why
                        + "; encoding raw activations would give wrong features");
            }
        }

        private void checkReshape() {
            JsonNode node = root.get("reshape_activations");
            if (present(node) && !node.asText().equals("none") && !node.asText().equals("hook_z")) {
                throw error("reshape_activations '" + node.asText() + "' is not supported (none or hook_z)");
            }
        }

        private int contextSize() {
            JsonNode node = metaField("context_size");
            return node == null ? 0 : nonNegativeInt("context_size", node);
        }

        /** SAELens's exclude_special_tokens: a boolean, or a list of token ids to leave out. */
        private boolean excludeSpecialTokens() {
            JsonNode node = metaField("exclude_special_tokens");
            if (node == null) {
                return false;
            }
            return node.isArray() ? !node.isEmpty() : bool("exclude_special_tokens", node, false);
        }

        private int positiveInt(String name, JsonNode node) {
            if (!present(node)) {
                throw error("field '" + name + "' is missing; a SAELens cfg.json always has it");
            }
            int v = integer(name, node);
            if (v <= 0) {
                throw error("field '" + name + "' must be a positive integer, got " + node);
            }
            return v;
        }

        private int nonNegativeInt(String name, JsonNode node) {
            int v = integer(name, node);
            if (v < 0) {
                throw error("field '" + name + "' must not be negative, got " + node);
            }
            return v;
        }

        /** An integer, also when written as an integral float (SAELens lets k be a float for BatchTopK). */
        private int integer(String name, JsonNode node) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.asInt();
            }
            if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())
                    && Math.abs(node.asDouble()) <= Integer.MAX_VALUE) {
                return (int) node.asDouble();
            }
            throw error("field '" + name + "' must be an integer, got " + node);
        }

        private boolean bool(String name, JsonNode node, boolean missing) {
            if (!present(node)) {
                return missing;
            }
            if (!node.isBoolean()) {
                throw error("field '" + name + "' must be true or false, got " + node);
            }
            return node.asBoolean();
        }

        private String text(String name, JsonNode node) {
            if (node == null) {
                return "";
            }
            if (!node.isTextual()) {
                throw error("field '" + name + "' must be a string, got " + node);
            }
            return node.asText();
        }
    }
}
