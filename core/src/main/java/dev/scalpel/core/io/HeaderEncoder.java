package dev.scalpel.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the header bytes exactly as Hugging Face's safetensors serializes them: compact JSON with
 * {@code __metadata__} first, each entry as {@code {"dtype":..,"shape":[..],"data_offsets":[b,e]}},
 * then spaces up to a multiple of 8 bytes so that the data section starts 8-byte aligned.
 */
final class HeaderEncoder {
    static final int ALIGNMENT = 8;

    private HeaderEncoder() {}

    /** Header bytes, padding included, for tensors laid out contiguously in list order from offset 0. */
    static byte[] encode(List<SafetensorsWriter.Entry> entries, Map<String, String> metadata) {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(HeaderParser.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (SafetensorsWriter.Entry entry : entries) {
            long end = offset + entry.bytes().byteSize();
            ObjectNode node = root.putObject(entry.name());
            node.put("dtype", entry.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long dim : entry.shape()) {
                shape.add(dim);
            }
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = toBytes(root);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static byte[] toBytes(ObjectNode root) {
        try {
            return StrictJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            // Serializing an in-memory tree of strings and numbers has no failure mode of its own.
            throw new IllegalStateException("cannot serialize safetensors header", e);
        }
    }
}
