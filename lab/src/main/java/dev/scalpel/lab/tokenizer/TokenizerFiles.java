package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads the Hugging Face files of a {@link BpeModel}: {@code tokenizer.json} in the layout the Rust library
 * saves (the Python {@code tokenizers}, transformers' fast tokenizers and DJL all read it) and
 * {@code tokenizer_config.json} for transformers. Output is byte-for-byte a function of the model: fields in a fixed
 * order, vocabulary in id order, merges in rank order, "\n" line ends.
 */
final class TokenizerFiles {
    static final String TOKENIZER = "tokenizer.json";
    static final String CONFIG = "tokenizer_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TokenizerFiles() {}

    static void write(BpeModel model, Path folder) {
        try {
            Files.createDirectories(folder);
            writeJson(tokenizerJson(model), folder.resolve(TOKENIZER));
            writeJson(tokenizerConfig(model), folder.resolve(CONFIG));
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot write the tokenizer: " + e.getMessage(), e);
        }
    }

    private static ObjectNode tokenizerJson(BpeModel model) {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<String> specials = model.specialTokens().inIdOrder();
        for (int id = 0; id < specials.size(); id++) {
            added.addObject()
                    .put("id", id)
                    .put("content", specials.get(id))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", preTokenizer(model.individualDigits()));
        root.set("post_processor", bosTemplate(model.specialTokens().bos(), model.specialTokens().bosId()));
        root.set("decoder", byteLevel("ByteLevel"));
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        // No unknown token: with all 256 bytes in the vocabulary every text is encodable.
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        // Words are always built by merges, even when the whole word is a token: the classic rule, as the Java encoder.
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < model.vocab().size(); id++) {
            vocab.put(model.vocab().get(id), id);
        }
        // "left right" strings rather than the newer [left, right] arrays: every version of the library reads them,
        // and byte-level tokens never contain a space, so the split is unambiguous.
        ArrayNode merges = bpe.putArray("merges");
        for (Merge m : model.merges()) {
            merges.add(m.left() + " " + m.right());
        }
        return root;
    }

    private static ObjectNode preTokenizer(boolean individualDigits) {
        ObjectNode byteLevel = byteLevel("ByteLevel");
        if (!individualDigits) {
            return byteLevel;
        }
        // Digits first: after ByteLevel, bytes of other characters show as symbols like '²', which Digits would cut.
        ObjectNode sequence = NODES.objectNode().put("type", "Sequence");
        ArrayNode steps = sequence.putArray("pretokenizers");
        steps.addObject().put("type", "Digits").put("individual_digits", true);
        steps.add(byteLevel);
        return sequence;
    }

    private static ObjectNode byteLevel(String type) {
        return NODES.objectNode()
                .put("type", type)
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
    }

    /** Llama's post-processor: BOS before the text, and before each text of a pair (the second with type id 1). */
    private static ObjectNode bosTemplate(String bos, int bosId) {
        ObjectNode template = NODES.objectNode().put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.add(special(bos, 0));
        single.add(sequence("A", 0));
        ArrayNode pair = template.putArray("pair");
        pair.add(special(bos, 0));
        pair.add(sequence("A", 0));
        pair.add(special(bos, 1));
        pair.add(sequence("B", 1));
        ObjectNode entry = template.putObject("special_tokens").putObject(bos);
        entry.put("id", bos);
        entry.putArray("ids").add(bosId);
        entry.putArray("tokens").add(bos);
        return template;
    }

    private static ObjectNode special(String token, int typeId) {
        ObjectNode node = NODES.objectNode();
        node.putObject("SpecialToken").put("id", token).put("type_id", typeId);
        return node;
    }

    private static ObjectNode sequence(String id, int typeId) {
        ObjectNode node = NODES.objectNode();
        node.putObject("Sequence").put("id", id).put("type_id", typeId);
        return node;
    }

    private static ObjectNode tokenizerConfig(BpeModel model) {
        SpecialTokens s = model.specialTokens();
        ObjectNode config = NODES.objectNode();
        // transformers 4 and 5 both map this name to the tokenizers-backed class that reads tokenizer.json.
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", s.bos());
        config.put("eos_token", s.eos());
        config.put("pad_token", s.pad());
        config.put("mask_token", s.mask());
        config.put("model_max_length", model.modelMaxLength());
        // Decoding must give back the exact text; transformers' clean-up would glue " ," and " 's".
        config.put("clean_up_tokenization_spaces", false);
        return config;
    }

    private static void writeJson(JsonNode node, Path file) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        String json = MAPPER.writer(printer).writeValueAsString(node) + "\n";
        AtomicFiles.writeString(file, json);
    }

    static BpeModel read(Path folder) {
        Path file = folder.resolve(TOKENIZER);
        JsonNode root = readJson(file);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new ScalpelException(file + ": model.type is '" + model.path("type").asText() + "', expected BPE");
        }
        List<String> specials = new ArrayList<>();
        for (JsonNode token : root.path("added_tokens")) {
            if (token.path("id").asInt(-1) != specials.size()) {
                throw new ScalpelException(file + ": added_tokens must have ids 0, 1, 2, 3 in order");
            }
            specials.add(token.path("content").asText());
        }
        if (specials.size() != 4) {
            throw new ScalpelException(file + ": " + specials.size() + " added_tokens, expected BOS, EOS, PAD, MASK");
        }
        boolean individualDigits = readDigits(file, root.path("pre_tokenizer"));
        List<String> vocab = readVocab(file, model.path("vocab"));
        List<Merge> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(readMerge(file, m));
        }
        int maxLength = BpeConfig.lab().modelMaxLength();
        Path configFile = folder.resolve(CONFIG);
        if (Files.isRegularFile(configFile)) {
            maxLength = readJson(configFile).path("model_max_length").asInt(maxLength);
        }
        try {
            return new BpeModel(new SpecialTokens(specials.get(0), specials.get(1), specials.get(2), specials.get(3)),
                    individualDigits, maxLength, vocab, merges);
        } catch (ScalpelException e) {
            throw new ScalpelException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the pre-tokenizer splits digits; it must be one of the two that {@link #write} writes. */
    private static boolean readDigits(Path file, JsonNode preTokenizer) {
        JsonNode steps = preTokenizer.path("pretokenizers");
        if (isGpt2ByteLevel(preTokenizer)) {
            return false;
        }
        if ("Sequence".equals(preTokenizer.path("type").asText()) && steps.size() == 2
                && "Digits".equals(steps.get(0).path("type").asText())
                && steps.get(0).path("individual_digits").asBoolean(false) && isGpt2ByteLevel(steps.get(1))) {
            return true;
        }
        throw new ScalpelException(file + ": pre_tokenizer " + preTokenizer + " is not one a lab tokenizer has "
                + "(ByteLevel without prefix space, alone or after Digits with individual_digits)");
    }

    private static boolean isGpt2ByteLevel(JsonNode node) {
        return "ByteLevel".equals(node.path("type").asText()) && !node.path("add_prefix_space").asBoolean(true)
                && node.path("use_regex").asBoolean(true);
    }

    private static List<String> readVocab(Path file, JsonNode vocab) {
        String[] byId = new String[vocab.size()];
        for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
            int id = entry.getValue().asInt(-1);
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new ScalpelException(file + ": vocabulary id " + entry.getValue() + " of '" + entry.getKey()
                        + "' is out of range or repeated (ids must be 0.." + (byId.length - 1) + ", each once)");
            }
            byId[id] = entry.getKey();
        }
        return List.of(byId);
    }

    private static Merge readMerge(Path file, JsonNode m) {
        if (m.isArray() && m.size() == 2) {
            return new Merge(m.get(0).asText(), m.get(1).asText());
        }
        String text = m.asText();
        int space = text.indexOf(' ');
        if (!m.isTextual() || space <= 0 || space != text.lastIndexOf(' ') || space == text.length() - 1) {
            throw new ScalpelException(file + ": merge " + m + " is neither \"left right\" nor [left, right]");
        }
        return new Merge(text.substring(0, space), text.substring(space + 1));
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScalpelException(file + ": no such file (a lab tokenizer folder holds " + TOKENIZER + " and "
                    + CONFIG + ")");
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read as JSON: " + e.getMessage(), e);
        }
    }
}
