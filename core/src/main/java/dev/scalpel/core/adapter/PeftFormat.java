package dev.scalpel.core.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.CheckpointFormatException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.TensorInfo;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * LoRA adapters as Hugging Face PEFT saves them: a folder with {@code adapter_config.json} (peft_type LORA, r,
 * lora_alpha, target_modules, fan_in_fan_out, ...) and {@code adapter_model.safetensors} holding, per module,
 * {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code ...lora_B.weight} [out, r]. What a plain LoRA
 * merge cannot express is refused by name: DoRA, trained biases, fully trained modules_to_save, per-module ranks or
 * alphas, and pickled {@code adapter_model.bin} files (never opened).
 */
public final class PeftFormat {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final String A_SUFFIX = ".lora_A.weight";
    private static final String B_SUFFIX = ".lora_B.weight";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeftFormat() {
    }

    /**
     * Writes {@code adapter} for {@code model} into {@code folder} (created if needed). fan_in_fan_out is true where the
     * model stores its weights [in, out] (GPT-2), as PEFT sets it for Conv1D layers.
     *
     * @param baseModel the base model's name or path, recorded as base_model_name_or_path
     */
    public static void write(LoraAdapter adapter, TransformerModel model, String baseModel, Path folder) {
        Map<String, LinearModule> byName = new LinkedHashMap<>();
        model.linearModules().forEach(m -> byName.put(m.name(), m));
        TreeSet<Boolean> orientations = new TreeSet<>();
        for (String name : adapter.modules().keySet()) {
            LinearModule m = byName.get(name);
            if (m == null) {
                throw new IllegalArgumentException("the adapter changes " + name + ", which the model does not have");
            }
            orientations.add(m.storedInByOut());
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("peft_type", "LORA");
        config.put("task_type", model.config().causal() ? "CAUSAL_LM" : null);
        config.put("base_model_name_or_path", baseModel);
        config.put("r", adapter.rank());
        config.put("lora_alpha", adapter.alpha());
        config.put("lora_dropout", 0.0);
        ArrayNode targets = config.putArray("target_modules");
        adapter.modules().keySet().forEach(targets::add);
        config.put("fan_in_fan_out", orientations.contains(true));
        config.put("bias", "none");
        config.put("use_rslora", adapter.rankStabilized());
        config.put("use_dora", false);
        config.putNull("modules_to_save");
        config.put("init_lora_weights", true);
        config.put("inference_mode", true);
        config.putObject("rank_pattern");
        config.putObject("alpha_pattern");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (var e : adapter.modules().entrySet()) {
            entries.add(entry(PREFIX + e.getKey() + A_SUFFIX, e.getValue().a()));
            entries.add(entry(PREFIX + e.getKey() + B_SUFFIX, e.getValue().b()));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new CheckpointFormatException(folder, "cannot create the adapter folder: " + e.getMessage(), e);
        }
        SafetensorsWriter.write(folder.resolve(WEIGHTS), entries, Map.of("format", "pt"));
        AtomicFiles.writeJson(JSON.writerWithDefaultPrettyPrinter(), folder.resolve(CONFIG), config);
    }

    private static SafetensorsWriter.Entry entry(String name, Matrix m) {
        float[] values = new float[m.data().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) m.data()[i];
        }
        return SafetensorsWriter.f32(name, new long[] {m.rows(), m.cols()}, values);
    }

    /** Reads a PEFT LoRA adapter folder. */
    public static LoraAdapter read(Path folder) {
        Path configFile = folder.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointFormatException(folder, "no " + CONFIG + ": not a PEFT adapter folder");
        }
        JsonNode config;
        try {
            config = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new CheckpointFormatException(configFile, "not valid JSON: " + e.getMessage(), e);
        }
        String type = config.path("peft_type").asText("");
        if (!type.equals("LORA")) {
            throw new CheckpointFormatException(configFile, "peft_type is '" + type + "'; only LORA adapters are read");
        }
        refuseUnless(configFile, !config.path("use_dora").asBoolean(false), "use_dora is true: DoRA rescales each"
                + " column's norm, which a LoRA merge does not do");
        String bias = config.path("bias").asText("none");
        refuseUnless(configFile, bias.equals("none"), "bias is '" + bias + "': adapters that train biases are not supported");
        refuseUnless(configFile, empty(config.get("modules_to_save")), "modules_to_save lists fully trained modules"
                + " (" + config.get("modules_to_save") + "), which are not low-rank and are not supported");
        refuseUnless(configFile, empty(config.get("rank_pattern")) && empty(config.get("alpha_pattern")),
                "rank_pattern or alpha_pattern gives modules their own rank or alpha, which is not supported");
        if (!config.path("r").canConvertToInt() || config.path("r").asInt() < 1) {
            throw new CheckpointFormatException(configFile, "r must be a positive integer, got " + config.get("r"));
        }
        if (!config.path("lora_alpha").isNumber()) {
            throw new CheckpointFormatException(configFile, "lora_alpha must be a number, got " + config.get("lora_alpha"));
        }
        int rank = config.path("r").asInt();
        Path weights = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            String problem = Files.exists(folder.resolve("adapter_model.bin"))
                    ? "only adapter_model.bin, a pickle, which is refused and never opened because loading one can run"
                    + " arbitrary code; save the adapter with safe_serialization=True"
                    : "no " + WEIGHTS;
            throw new CheckpointFormatException(folder, problem);
        }
        Map<String, LoraAdapter.Factors> modules = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            for (String name : file.names()) {
                if (!name.startsWith(PREFIX) || !(name.endsWith(A_SUFFIX) || name.endsWith(B_SUFFIX))) {
                    throw new CheckpointFormatException(weights, "tensor '" + name + "' is not a LoRA factor ("
                            + PREFIX + "<module>" + A_SUFFIX + " or " + B_SUFFIX + ")");
                }
                if (name.endsWith(B_SUFFIX)) {
                    continue;
                }
                String module = name.substring(PREFIX.length(), name.length() - A_SUFFIX.length());
                String bName = PREFIX + module + B_SUFFIX;
                if (!file.contains(bName)) {
                    throw new CheckpointFormatException(weights, "module " + module + " has lora_A but no lora_B");
                }
                Matrix a = matrix(file, name, weights);
                Matrix b = matrix(file, bName, weights);
                if (a.rows() != rank || b.cols() != rank) {
                    throw new CheckpointFormatException(weights, "module " + module + ": lora_A is [" + a.rows() + ", "
                            + a.cols() + "] and lora_B [" + b.rows() + ", " + b.cols() + "], but r is " + rank);
                }
                modules.put(module, new LoraAdapter.Factors(a, b));
            }
            for (String name : file.names()) {
                String module = name.substring(PREFIX.length(), name.length() - B_SUFFIX.length());
                if (name.endsWith(B_SUFFIX) && !modules.containsKey(module)) {
                    throw new CheckpointFormatException(weights, "module " + module + " has lora_B but no lora_A");
                }
            }
        }
        if (modules.isEmpty()) {
            throw new CheckpointFormatException(weights, "holds no LoRA factors");
        }
        return new LoraAdapter(rank, config.path("lora_alpha").asDouble(), config.path("use_rslora").asBoolean(false),
                modules);
    }

    private static boolean empty(JsonNode node) {
        return node == null || node.isNull() || node.isEmpty();
    }

    private static void refuseUnless(Path file, boolean ok, String problem) {
        if (!ok) {
            throw new CheckpointFormatException(file, problem);
        }
    }

    private static Matrix matrix(SafetensorsFile file, String name, Path weights) {
        TensorInfo info = file.info(name);
        long[] shape = info.shape();
        if (shape.length != 2) {
            throw new CheckpointFormatException(weights, "tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + "; a LoRA factor is a matrix");
        }
        float[] values = file.toFloats(name);
        double[] data = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = values[i];
        }
        return new Matrix(Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), data);
    }
}
