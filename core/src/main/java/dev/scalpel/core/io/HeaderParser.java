package dev.scalpel.core.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns header bytes into a {@link SafetensorsHeader}, refusing anything that could make a later read
 * land outside the file or in another tensor's bytes. Every refusal names the file and the fault.
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";

    private final Path file;

    private HeaderParser(Path file) {
        this.file = file;
    }

    static SafetensorsHeader parse(Path file, byte[] json, long dataLength) {
        return new HeaderParser(file).parse(json, dataLength);
    }

    private SafetensorsHeader parse(byte[] json, long dataLength) {
        JsonNode root = parseJson(decodeUtf8(json));
        if (root == null || !root.isObject()) {
            throw fail("header is not a JSON object");
        }
        Map<String, String> metadata = Map.of();
        LinkedHashMap<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(field.getValue());
            } else {
                TensorInfo info = tensor(field.getKey(), field.getValue());
                checkInRange(info, dataLength);
                tensors.put(info.name(), info);
            }
        }
        checkNoOverlap(tensors.values());
        return new SafetensorsHeader(metadata, tensors);
    }

    // Decoded separately from the JSON parse so that bad bytes get a message about encoding, not syntax.
    private String decodeUtf8(byte[] json) {
        ByteBuffer in = ByteBuffer.wrap(json);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8 (bad byte near header offset " + in.position() + ")", e);
        }
    }

    private JsonNode parseJson(String text) {
        try {
            return StrictJson.MAPPER.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at character " + e.getLocation().getCharOffset();
            throw fail("header is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, String> metadata(JsonNode node) {
        if (!node.isObject()) {
            throw fail(METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw fail(METADATA_KEY + " value for key '" + field.getKey() + "' is not a string: "
                        + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private TensorInfo tensor(String name, JsonNode node) {
        if (!node.isObject()) {
            throw fail("tensor '" + name + "': entry is not an object with dtype, shape and data_offsets");
        }
        DType dtype = dtype(name, required(name, node, "dtype"));
        long[] shape = shape(name, required(name, node, "shape"));
        long[] offsets = offsets(name, required(name, node, "data_offsets"));
        long expected = expectedBytes(name, shape, dtype);
        long actual = offsets[1] - offsets[0];
        if (expected != actual) {
            throw fail("tensor '" + name + "': shape " + Shapes.format(shape) + " x " + dtype + " ("
                    + dtype.byteSize() + " bytes each) needs " + expected + " bytes but data_offsets "
                    + Shapes.format(offsets) + " span " + actual + " bytes");
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private JsonNode required(String name, JsonNode entry, String key) {
        JsonNode value = entry.get(key);
        if (value == null) {
            throw fail("tensor '" + name + "': entry has no '" + key
                    + "' (an entry needs dtype, shape and data_offsets)");
        }
        return value;
    }

    private DType dtype(String name, JsonNode node) {
        if (!node.isTextual()) {
            throw fail("tensor '" + name + "': dtype is not a string: " + node);
        }
        try {
            return DType.fromName(node.textValue());
        } catch (IllegalArgumentException e) {
            throw fail("tensor '" + name + "': unknown dtype '" + node.textValue() + "'", e);
        }
    }

    private long[] shape(String name, JsonNode node) {
        if (!node.isArray()) {
            throw fail("tensor '" + name + "': shape is not an array: " + node);
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = integer(name, "shape", node.get(i));
            if (shape[i] < 0) {
                throw fail("tensor '" + name + "': negative dimension " + shape[i] + " in shape " + node);
            }
        }
        return shape;
    }

    private long[] offsets(String name, JsonNode node) {
        if (!node.isArray() || node.size() != 2) {
            throw fail("tensor '" + name + "': data_offsets is not a [begin, end] pair: " + node);
        }
        long begin = integer(name, "data_offsets", node.get(0));
        long end = integer(name, "data_offsets", node.get(1));
        if (begin < 0 || begin > end) {
            throw fail("tensor '" + name + "': data_offsets [" + begin + "," + end
                    + "] must satisfy 0 <= begin <= end");
        }
        return new long[] {begin, end};
    }

    private long integer(String name, String key, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw fail("tensor '" + name + "': " + key + " holds " + node + ", not a 64-bit integer");
        }
        return node.longValue();
    }

    private long expectedBytes(String name, long[] shape, DType dtype) {
        try {
            return Shapes.byteSize(shape, dtype);
        } catch (ArithmeticException e) {
            throw fail("tensor '" + name + "': shape " + Shapes.format(shape) + " x " + dtype
                    + " overflows a 64-bit byte count", e);
        }
    }

    private void checkInRange(TensorInfo info, long dataLength) {
        if (info.end() > dataLength) {
            throw fail("tensor '" + info.name() + "': data_offsets [" + info.begin() + "," + info.end()
                    + "] out of range: the data section is " + dataLength + " bytes");
        }
    }

    /**
     * Two tensors sharing bytes would make an edit of one silently change the other. Empty tensors
     * occupy no bytes and so cannot overlap anything.
     */
    private void checkNoOverlap(Iterable<TensorInfo> tensors) {
        List<TensorInfo> byBegin = new ArrayList<>();
        for (TensorInfo info : tensors) {
            if (info.byteSize() > 0) {
                byBegin.add(info);
            }
        }
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin));
        TensorInfo furthest = null;
        for (TensorInfo info : byBegin) {
            if (furthest != null && info.begin() < furthest.end()) {
                throw fail("tensors '" + furthest.name() + "' [" + furthest.begin() + "," + furthest.end()
                        + "] and '" + info.name() + "' [" + info.begin() + "," + info.end() + "] overlap");
            }
            if (furthest == null || info.end() > furthest.end()) {
                furthest = info;
            }
        }
    }

    private CheckpointFormatException fail(String problem) {
        return new CheckpointFormatException(file, problem);
    }

    private CheckpointFormatException fail(String problem, Throwable cause) {
        return new CheckpointFormatException(file, problem, cause);
    }
}
