package dev.scalpel.core.model;

import dev.scalpel.core.io.AtomicFiles;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves a model as a Hugging Face folder that transformers' from_pretrained and Scalpel both load: config.json,
 * the weights as safetensors in the dtypes they were loaded from (sharded with an index past {@code maxShardBytes}),
 * and the tokenizer and generation files of the folder the model came from.
 */
public final class ModelWriter {
    /** transformers' default shard size. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    private static final List<String> COMPANION_FILES = List.of("generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "vocab.txt",
            "tokenizer.model", "added_tokens.json", "chat_template.jinja", "chat_template.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelWriter() {
    }

    public static void save(TransformerModel model, Path folder) {
        save(model, folder, DEFAULT_MAX_SHARD_BYTES);
    }

    public static void save(TransformerModel model, Path folder, long maxShardBytes) {
        save(model, folder, maxShardBytes, null);
    }

    /**
     * Saves with every floating-point tensor stored as {@code dtype} (round to nearest even), whatever it was loaded
     * or initialized as: how a model trained in float32 is shipped in bfloat16. The config's torch_dtype says so.
     */
    public static void saveAs(TransformerModel model, Path folder, DType dtype, long maxShardBytes) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("weights can be narrowed to a floating-point dtype only, not " + dtype);
        }
        save(model, folder, maxShardBytes, dtype);
    }

    /**
     * Saves with {@code config} as config.json, the parameters named in {@code omitted} left out and {@code added}
     * written after the rest: how a quantized checkpoint stores packed tensors in place of a module's weight.
     */
    public static void saveReplacing(TransformerModel model, Path folder, com.fasterxml.jackson.databind.JsonNode config,
                                     java.util.Set<String> omitted, List<SafetensorsWriter.Entry> added) {
        for (String name : omitted) {
            if (!model.parameters().contains(name)) {
                throw new IllegalArgumentException("cannot leave out '" + name + "': the model has no such parameter");
            }
        }
        try {
            Files.createDirectories(folder);
            copyCompanions(model, folder);
            writeJson(folder.resolve("config.json"), config);
            List<Tensor> tensors = new ArrayList<>();
            Parameters params = model.parameters();
            for (String name : params.names()) {
                if (!omitted.contains(name)) {
                    DType dtype = params.storedAs(name);
                    tensors.add(new Tensor(name, params.get(name).size() * dtype.byteSize(),
                            () -> entry(name, params.get(name), dtype)));
                }
            }
            for (SafetensorsWriter.Entry e : added) {
                tensors.add(new Tensor(e.name(), e.bytes().byteSize(), () -> e));
            }
            writeTensors(tensors, folder, DEFAULT_MAX_SHARD_BYTES);
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot save model: " + e.getMessage(), e);
        }
    }

    private static void copyCompanions(TransformerModel model, Path folder) throws IOException {
        Path sourceFolder = model.config().source().file().toAbsolutePath().getParent();
        if (sourceFolder != null && !sourceFolder.equals(folder.toAbsolutePath())) {
            for (String name : COMPANION_FILES) {
                Path from = sourceFolder.resolve(name);
                if (Files.isRegularFile(from)) {
                    AtomicFiles.copy(from, folder.resolve(name));
                }
            }
        }
    }

    private static void save(TransformerModel model, Path folder, long maxShardBytes, DType override) {
        try {
            Files.createDirectories(folder);
            copyCompanions(model, folder);
            com.fasterxml.jackson.databind.JsonNode config = model.config().source().json();
            if (override != null && config instanceof ObjectNode object) {
                config = object.deepCopy().put("torch_dtype", override.torchName());
            }
            if (config.has("quantization_config") && config instanceof ObjectNode object) {
                // A model loaded from a quantized checkpoint holds dense weights; saved, it is no longer quantized.
                ObjectNode dense = object.deepCopy();
                dense.remove("quantization_config");
                config = dense;
            }
            writeJson(folder.resolve("config.json"), config);
            Parameters params = model.parameters();
            List<Tensor> tensors = new ArrayList<>();
            for (String name : params.names()) {
                DType dtype = storage(params, name, override);
                tensors.add(new Tensor(name, params.get(name).size() * dtype.byteSize(),
                        () -> entry(name, params.get(name), dtype)));
            }
            writeTensors(tensors, folder, maxShardBytes);
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot save model: " + e.getMessage(), e);
        }
    }

    private static DType storage(Parameters params, String name, DType override) {
        DType stored = params.storedAs(name);
        return override != null && stored.isFloatingPoint() ? override : stored;
    }

    /** One tensor to write: its name, its size in bytes (for sharding) and how to make its entry when its shard is written. */
    private record Tensor(String name, long bytes, java.util.function.Supplier<SafetensorsWriter.Entry> entry) {
    }

    private static void writeTensors(List<Tensor> tensors, Path folder, long maxShardBytes) throws IOException {
        List<List<Tensor>> shards = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (Tensor t : tensors) {
            long bytes = t.bytes();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += bytes;
            totalBytes += bytes;
        }
        shards.add(current);
        Map<String, String> metadata = Map.of("format", "pt");
        // A stale single file or index from an earlier save would shadow the new weights.
        Files.deleteIfExists(folder.resolve("model.safetensors.index.json"));
        Files.deleteIfExists(folder.resolve("model.safetensors"));
        if (shards.size() == 1) {
            SafetensorsWriter.write(folder.resolve("model.safetensors"), entries(shards.get(0)), metadata);
            return;
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(folder.resolve(file), entries(shards.get(i)), metadata);
            shards.get(i).forEach(t -> weightMap.put(t.name(), file));
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes);
        ObjectNode map = index.putObject("weight_map");
        weightMap.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> map.put(e.getKey(), e.getValue()));
        writeJson(folder.resolve("model.safetensors.index.json"), index);
    }

    private static List<SafetensorsWriter.Entry> entries(List<Tensor> shard) {
        return shard.stream().map(t -> t.entry().get()).toList();
    }

    /** The tensor in its stored dtype: float32 values narrowed (round to nearest even) or written as they are. */
    static SafetensorsWriter.Entry entry(String name, NDArray value, DType dtype) {
        long[] shape = value.getShape().getShape();
        return switch (dtype) {
            case F32 -> SafetensorsWriter.f32(name, shape, value.toFloatArray());
            case F16 -> SafetensorsWriter.f16(name, shape, value.toFloatArray());
            case BF16 -> SafetensorsWriter.bf16(name, shape, value.toFloatArray());
            case F64 -> SafetensorsWriter.f64(name, shape, value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray());
            default -> new SafetensorsWriter.Entry(name, dtype, shape, MemorySegment.ofBuffer(value.toByteBuffer()));
        };
    }

    private static void writeJson(Path file, Object json) {
        AtomicFiles.writeJson(JSON, file, json);
    }
}
