package dev.scalpel.interpret.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code manifest.json} of a harvest folder: the shards written so far and how to read them (configuration, row
 * width, texts covered). What the harvest was made from (model weights, tokenizer, texts) is the run folder's key in
 * {@code run.json} ({@link dev.scalpel.core.run.RunFolder}), which decides whether a harvest may resume. The manifest
 * holds no timestamps, so a resumed harvest ends with the same file as an uninterrupted one.
 *
 * @param dimension the width of a row (the hook's trailing dimensions flattened)
 * @param textCount how many texts the harvest covers
 * @param textsDone texts whose rows are all in the listed shards (at least this many)
 * @param complete whether every text has been harvested
 */
public record HarvestManifest(HarvestConfig config, int dimension, long textCount, List<Shard> shards, long textsDone,
                              boolean complete) {
    public static final String FILE = "manifest.json";
    static final String FORMAT = "scalpel-activations";
    /** 2: the key moved to run.json (version 1 manifests held the model and the texts' hash themselves). */
    static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One shard file and its row count. */
    public record Shard(String file, int rows) {
    }

    public HarvestManifest {
        shards = List.copyOf(shards);
    }

    /** Rows over all shards. */
    public long rows() {
        return shards.stream().mapToLong(Shard::rows).sum();
    }

    /** {@code shard-00007.safetensors}. */
    public static String shardName(int index) {
        return String.format(Locale.ROOT, "shard-%05d.safetensors", index);
    }

    HarvestManifest with(List<Shard> newShards, long done, boolean finished, int dim) {
        return new HarvestManifest(config, dim, textCount, newShards, done, finished);
    }

    /** Reads {@code folder/manifest.json}; an error naming the file if it is missing or malformed. */
    public static HarvestManifest read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ScalpelException(folder + ": no " + FILE + "; not a harvest folder (or the harvest never wrote a shard)");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new ScalpelException(file + ": not a Scalpel activation manifest (format '"
                        + root.path("format").asText() + "')");
            }
            JsonNode c = root.path("config");
            HarvestConfig config = new HarvestConfig(require(root, "hook", file).asText(),
                    require(c, "context_size", file).asInt(), require(c, "batch_size", file).asInt(),
                    require(c, "prepend_bos", file).asBoolean(), require(c, "exclude_bos", file).asBoolean(),
                    HarvestMode.valueOf(require(c, "mode", file).asText().toUpperCase(Locale.ROOT)),
                    require(c, "shard_rows", file).asInt(), DType.fromName(require(c, "dtype", file).asText()));
            List<Shard> shards = new ArrayList<>();
            for (JsonNode s : require(root, "shards", file)) {
                shards.add(new Shard(require(s, "file", file).asText(), require(s, "rows", file).asInt()));
            }
            JsonNode texts = require(root, "texts", file);
            return new HarvestManifest(config, require(root, "dimension", file).asInt(),
                    require(texts, "count", file).asLong(), shards, require(root, "texts_done", file).asLong(),
                    require(root, "complete", file).asBoolean());
        } catch (IOException | IllegalArgumentException e) {
            throw new ScalpelException(file + ": cannot read the manifest: " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new ScalpelException(file + ": the manifest lacks '" + field + "'");
        }
        return v;
    }

    /** Writes {@code folder/manifest.json} atomically (a temporary file moved into place). */
    public void write(Path folder) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION).put("hook", config.hookName())
                .put("dimension", dimension);
        ObjectNode c = root.putObject("config");
        c.put("context_size", config.contextSize()).put("batch_size", config.batchSize())
                .put("prepend_bos", config.prependBos()).put("exclude_bos", config.excludeBos())
                .put("mode", config.mode().name().toLowerCase(Locale.ROOT)).put("shard_rows", config.shardRows())
                .put("dtype", config.dtype().name());
        root.putObject("texts").put("count", textCount);
        root.put("rows", rows()).put("texts_done", textsDone).put("complete", complete);
        ArrayNode list = root.putArray("shards");
        shards.forEach(s -> list.addObject().put("file", s.file()).put("rows", s.rows()));
        Path file = folder.resolve(FILE);
        Path tmp = folder.resolve(FILE + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot write the manifest: " + e.getMessage(), e);
        }
    }
}
