package dev.scalpel.core.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A parsed {@code model.safetensors.index.json}: which shard file holds each tensor.
 *
 * @param file the index file itself
 * @param weightMap tensor name to shard file name, in index order
 */
record ShardIndex(Path file, SequencedMap<String, String> weightMap) {
    static final String FILE_NAME = "model.safetensors.index.json";

    ShardIndex {
        weightMap = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(weightMap));
    }

    static ShardIndex read(Path file) {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new CheckpointFormatException(file, "index is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file, "index is not valid UTF-8 JSON", e);
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "cannot read index: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "index is not a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointFormatException(file, "index has no \"weight_map\" object");
        }
        if (map.isEmpty()) {
            throw new CheckpointFormatException(file, "index \"weight_map\" is empty");
        }
        LinkedHashMap<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            JsonNode shard = entry.getValue();
            if (!shard.isTextual()) {
                throw new CheckpointFormatException(file, "weight_map entry for tensor '" + entry.getKey()
                        + "' is not a shard file name: " + shard);
            }
            weightMap.put(entry.getKey(), shard.textValue());
        }
        return new ShardIndex(file, weightMap);
    }

    /**
     * The shard's path, which must stay inside the index's folder: an index is data from the internet,
     * and a name like {@code ../../etc/x} must not make Scalpel map arbitrary files.
     */
    Path resolve(String shard) {
        Path folder = file.toAbsolutePath().getParent().normalize();
        Path path = folder.resolve(shard).normalize();
        if (shard.isEmpty() || !folder.equals(path.getParent())) {
            throw new CheckpointFormatException(file, "shard name '" + shard
                    + "' is not a plain file name in the index's folder");
        }
        return path;
    }
}
