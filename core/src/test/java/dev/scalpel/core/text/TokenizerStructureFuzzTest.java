package dev.scalpel.core.text;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A structure-aware fuzz target for tokenizer.json: the byte-level target ({@code ReadersFuzzTest#tokenizerJson}) is
 * mostly refused as JSON before the native tokenizers library sees it, so this one starts from a real tokenizer.json
 * (the fixtures' byte-level BPE) and lets the fuzzer change its fields: the model type and its options, vocabulary
 * entries and ids, merges, added tokens, and the normalizer, pre-tokenizer, decoder and post-processor, whose types
 * are drawn from the library's real names. Each file is then loaded, used to encode fuzzer text and to decode fuzzer
 * ids. Loading may be refused; what must never happen is an untyped exception or, worse, a native panic, which aborts
 * the JVM.
 */
class TokenizerStructureFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MODELS = {"BPE", "WordPiece", "WordLevel", "Unigram"};
    private static final String[] NORMALIZERS = {"NFC", "NFD", "NFKC", "NFKD", "Lowercase", "Strip", "StripAccents",
        "Replace", "Prepend", "Sequence", "BertNormalizer", "Nmt", "Precompiled"};
    private static final String[] PRE_TOKENIZERS = {"ByteLevel", "Whitespace", "WhitespaceSplit", "Metaspace", "Split",
        "Sequence", "Digits", "Punctuation", "BertPreTokenizer", "CharDelimiterSplit", "UnicodeScripts"};
    private static final String[] DECODERS = {"ByteLevel", "WordPiece", "Metaspace", "BPEDecoder", "CTC", "Sequence",
        "Replace", "Fuse", "Strip", "ByteFallback"};
    private static final String[] PROCESSORS = {"TemplateProcessing", "ByteLevel", "BertProcessing", "RobertaProcessing",
        "Sequence"};
    private static final String[] FIELDS = {"type", "add_prefix_space", "trim_offsets", "use_regex", "replacement",
        "prepend_scheme", "split", "pattern", "behavior", "invert", "content", "start", "stop", "individual_digits",
        "delimiter", "prefix", "cleanup", "suffix", "lowercase", "strip_accents", "clean_text", "handle_chinese_chars",
        "left", "right", "sep", "cls", "single", "pair", "special_tokens", "pretokenizers", "normalizers", "decoders",
        "processors", "String", "Regex", "precompiled_charsmap"};

    @TempDir
    static Path DIR;

    private static ObjectNode base;

    private static ObjectNode base() {
        if (base == null) {
            try (InputStream in = TokenizerStructureFuzzTest.class.getResourceAsStream("/fixtures/llama-tiny/tokenizer.json")) {
                base = (ObjectNode) JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return base.deepCopy();
    }

    @FuzzTest(maxDuration = "10m")
    void tokenizerFields(FuzzedDataProvider data) {
        ObjectNode root = base();
        int edits = data.consumeInt(1, 8);
        for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
            mutate(root, data);
        }
        Path file = DIR.resolve("tokenizer.json");
        try {
            Files.write(file, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Tokenizer tokenizer = Tokenizer.load(file)) {
            long[] ids = tokenizer.encode(data.consumeString(200));
            tokenizer.decode(ids);
            long[] arbitrary = new long[data.consumeInt(0, 8)];
            for (int i = 0; i < arbitrary.length; i++) {
                arbitrary[i] = data.consumeLong(-2, 1 << 20);
            }
            tokenizer.decode(arbitrary, data.consumeBoolean());
        } catch (ScalpelException refused) {
            // refused with the file's name: the wanted outcome for a broken file
        }
    }

    private static void mutate(ObjectNode root, FuzzedDataProvider data) {
        ObjectNode model = (ObjectNode) root.get("model");
        switch (data.consumeInt(0, 11)) {
            case 0 -> model.put("type", pick(data, MODELS));
            case 1 -> vocab(model).put(data.consumeString(12), data.consumeInt(-2, 1000));
            case 2 -> {
                ObjectNode vocab = vocab(model);
                Iterator<String> names = vocab.fieldNames();
                List<String> all = new ArrayList<>();
                names.forEachRemaining(all::add);
                if (!all.isEmpty()) {
                    vocab.remove(all.get(data.consumeInt(0, all.size() - 1)));
                }
            }
            case 3 -> {
                JsonNode merges = model.get("merges");
                ArrayNode list = merges instanceof ArrayNode a ? a : model.putArray("merges");
                if (data.consumeBoolean()) {
                    list.add(data.consumeString(12));
                } else {
                    list.addArray().add(data.consumeString(6)).add(data.consumeString(6));
                }
            }
            case 4 -> {
                ArrayNode added = root.get("added_tokens") instanceof ArrayNode a ? a : root.putArray("added_tokens");
                added.addObject().put("id", data.consumeInt(-2, 1000)).put("content", data.consumeString(10))
                        .put("single_word", data.consumeBoolean()).put("lstrip", data.consumeBoolean())
                        .put("rstrip", data.consumeBoolean()).put("normalized", data.consumeBoolean())
                        .put("special", data.consumeBoolean());
            }
            case 5 -> root.set("normalizer", component(data, NORMALIZERS, 0));
            case 6 -> root.set("pre_tokenizer", component(data, PRE_TOKENIZERS, 0));
            case 7 -> root.set("decoder", component(data, DECODERS, 0));
            case 8 -> root.set("post_processor", component(data, PROCESSORS, 0));
            case 9 -> {
                switch (data.consumeInt(0, 5)) {
                    case 0 -> model.put("unk_token", data.consumeString(8));
                    case 1 -> model.put("byte_fallback", data.consumeBoolean());
                    case 2 -> model.put("dropout", data.consumeDouble());
                    case 3 -> model.put("continuing_subword_prefix", data.consumeString(4));
                    case 4 -> model.put("end_of_word_suffix", data.consumeString(4));
                    default -> model.put("max_input_chars_per_word", data.consumeInt());
                }
            }
            case 10 -> {
                ObjectNode t = root.putObject(data.consumeBoolean() ? "truncation" : "padding");
                t.put("max_length", data.consumeInt()).put("stride", data.consumeInt())
                        .put("strategy", data.consumeString(8)).put("direction", data.consumeBoolean() ? "Left" : "Right")
                        .put("pad_id", data.consumeInt()).put("pad_token", data.consumeString(6));
            }
            default -> {
                // Unigram's vocabulary is a list of [piece, score] pairs.
                ArrayNode pieces = model.putArray("vocab");
                int n = data.consumeInt(0, 6);
                for (int i = 0; i < n; i++) {
                    pieces.addArray().add(data.consumeString(6)).add(data.consumeDouble());
                }
                if (data.consumeBoolean()) {
                    model.put("unk_id", data.consumeInt(-2, 10));
                }
            }
        }
    }

    private static ObjectNode vocab(ObjectNode model) {
        return model.get("vocab") instanceof ObjectNode v ? v : model.putObject("vocab");
    }

    /** A normalizer, pre-tokenizer, decoder or processor of a real type with a few fields set to fuzzer values. */
    private static ObjectNode component(FuzzedDataProvider data, String[] types, int depth) {
        ObjectNode c = JSON.createObjectNode();
        c.put("type", data.consumeBoolean() ? pick(data, types) : data.consumeString(12));
        int fields = data.consumeInt(0, 4);
        for (int i = 0; i < fields; i++) {
            String field = pick(data, FIELDS);
            switch (data.consumeInt(0, 5)) {
                case 0 -> c.put(field, data.consumeBoolean());
                case 1 -> c.put(field, data.consumeInt());
                case 2 -> c.put(field, data.consumeString(10));
                case 3 -> c.putObject(field).put(data.consumeBoolean() ? "String" : "Regex", data.consumeString(10));
                case 4 -> {
                    ArrayNode list = c.putArray(field);
                    if (depth < 2) {
                        int n = data.consumeInt(0, 3);
                        for (int j = 0; j < n; j++) {
                            list.add(component(data, types, depth + 1));
                        }
                    }
                }
                default -> {
                    ArrayNode template = c.putArray(field);
                    template.addObject().putObject("SpecialToken").put("id", data.consumeString(6)).put("type_id", data.consumeInt());
                    template.addObject().putObject("Sequence").put("id", data.consumeBoolean() ? "A" : "B").put("type_id", data.consumeInt());
                }
            }
        }
        return c;
    }

    private static String pick(FuzzedDataProvider data, String[] values) {
        return values[data.consumeInt(0, values.length - 1)];
    }
}
