package dev.scalpel.compress.gptq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Checkpoint;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.TensorInfo;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quantized model saved as transformers saves a GPTQ model: config.json with a {@code quantization_config}, and in
 * the safetensors each quantized module's {@code qweight}, {@code qzeros}, {@code scales} and {@code g_idx} in place of
 * its {@code weight} (its bias, and every other parameter, as they were).
 *
 * @param config the quantization_config object
 * @param modules each quantized module's tensors, by module name
 */
public record GptqCheckpoint(QuantizationConfig config, Map<String, GptqTensors> modules) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The fields of transformers' GPTQConfig that say how the weights were quantized.
     *
     * @param groupSize 0 for one group per row (written as -1, as transformers does)
     * @param method who chose the codes: "gptq" or "rtn" (both load alike; written under meta)
     */
    public record QuantizationConfig(int bits, int groupSize, boolean symmetric, boolean actOrder, boolean staticGroups,
                                     double dampPercent, String method) {
        public QuantizationScheme scheme() {
            return new QuantizationScheme(bits, groupSize, symmetric);
        }

        static QuantizationConfig of(ModelQuantizer.Config c) {
            var g = c.gptq();
            boolean gptq = c.method() == ModelQuantizer.Method.GPTQ;
            return new QuantizationConfig(g.scheme().bits(), g.scheme().groupSize(), g.scheme().symmetric(),
                    gptq && g.actOrder(), gptq && g.staticGroups(), gptq ? g.percentDamping() : 0,
                    c.method().name().toLowerCase(java.util.Locale.ROOT));
        }

        ObjectNode toJson() {
            ObjectNode q = JSON.createObjectNode();
            q.put("quant_method", "gptq");
            q.put("checkpoint_format", "gptq");
            q.put("bits", bits);
            q.put("group_size", groupSize == 0 ? -1 : groupSize);
            q.put("sym", symmetric);
            q.put("desc_act", actOrder);
            q.put("static_groups", staticGroups);
            q.put("damp_percent", dampPercent);
            q.put("true_sequential", false);
            q.putObject("meta").put("quantizer", "scalpel").put("method", method);
            return q;
        }

        static QuantizationConfig fromJson(JsonNode q, Path file) {
            if (!"gptq".equals(q.path("quant_method").asText())) {
                throw new ScalpelException(file + ": quantization_config.quant_method is '"
                        + q.path("quant_method").asText() + "'; only GPTQ checkpoints are read");
            }
            String format = q.path("checkpoint_format").asText("gptq");
            if (!format.equals("gptq")) {
                throw new ScalpelException(file + ": checkpoint_format '" + format + "' is not read (only the v1 'gptq' "
                        + "layout, which transformers and AutoGPTQ write)");
            }
            if (!q.path("bits").isInt()) {
                throw new ScalpelException(file + ": quantization_config has no integer 'bits'");
            }
            int group = q.path("group_size").asInt(-1);
            return new QuantizationConfig(q.path("bits").asInt(), group < 0 ? 0 : group, q.path("sym").asBoolean(true),
                    q.path("desc_act").asBoolean(false), q.path("static_groups").asBoolean(false),
                    q.path("damp_percent").asDouble(0.01), q.path("meta").path("method").asText("gptq"));
        }
    }

    /** Writes {@code model} (already holding the dequantized weights) with {@code result}'s modules packed. */
    public static void write(TransformerModel model, ModelQuantizer.Result result, Path folder) {
        QuantizationConfig config = QuantizationConfig.of(result.config());
        Set<String> omitted = new HashSet<>();
        List<SafetensorsWriter.Entry> added = new ArrayList<>();
        for (LinearModule module : model.linearModules()) {
            QuantizedMatrix q = result.modules().get(module.name());
            if (q == null) {
                continue;
            }
            GptqTensors t = GptqTensors.pack(q);
            omitted.add(module.weight());
            int bits = t.bits();
            added.add(SafetensorsWriter.i32(module.name() + ".qweight",
                    new long[] {(long) t.inFeatures() * bits / 32, t.outFeatures()}, t.qweight()));
            added.add(SafetensorsWriter.i32(module.name() + ".qzeros",
                    new long[] {t.groups(), (long) t.outFeatures() * bits / 32}, t.qzeros()));
            float[] scales = new float[t.scales().length];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = Float.float16ToFloat(t.scales()[i]);   // written back to the same float16 bits
            }
            added.add(SafetensorsWriter.f16(module.name() + ".scales", new long[] {t.groups(), t.outFeatures()}, scales));
            added.add(SafetensorsWriter.i32(module.name() + ".g_idx", new long[] {t.inFeatures()}, t.groupIndex()));
        }
        ObjectNode json = ((ObjectNode) model.config().source().json()).deepCopy();
        json.set("quantization_config", config.toJson());
        ModelWriter.saveReplacing(model, folder, json, omitted, added);
    }

    /** Whether {@code folder}'s config.json declares a quantization. */
    public static boolean isQuantized(Path folder) {
        Path file = folder.resolve("config.json");
        try {
            return Files.isRegularFile(file) && JSON.readTree(file.toFile()).has("quantization_config");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the quantization config and every quantized module's tensors of a GPTQ folder. */
    public static GptqCheckpoint read(Path folder) {
        Path file = folder.resolve("config.json");
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!json.has("quantization_config")) {
            throw new ScalpelException(file + ": no quantization_config; this is not a quantized checkpoint");
        }
        QuantizationConfig config = QuantizationConfig.fromJson(json.get("quantization_config"), file);
        Map<String, GptqTensors> modules = new LinkedHashMap<>();
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            for (String name : checkpoint.names()) {
                if (name.endsWith(".qweight")) {
                    String module = name.substring(0, name.length() - ".qweight".length());
                    modules.put(module, tensors(checkpoint, module, config.bits()));
                }
            }
        }
        if (modules.isEmpty()) {
            throw new ScalpelException(folder + ": config.json declares GPTQ but no tensor ends in .qweight");
        }
        return new GptqCheckpoint(config, modules);
    }

    private static GptqTensors tensors(Checkpoint checkpoint, String module, int bits) {
        TensorInfo qweight = require(checkpoint, module + ".qweight", DType.I32, 2);
        TensorInfo qzeros = require(checkpoint, module + ".qzeros", DType.I32, 2);
        TensorInfo scales = require(checkpoint, module + ".scales", DType.F16, 2);
        int out = Math.toIntExact(qweight.dim(1));
        int in = Math.toIntExact(qweight.dim(0) * 32 / bits);
        int groups = Math.toIntExact(scales.dim(0));
        int[] groupIndex;
        if (checkpoint.contains(module + ".g_idx")) {
            groupIndex = ints(checkpoint, require(checkpoint, module + ".g_idx", DType.I32, 1));
        } else {   // older checkpoints without g_idx: consecutive groups
            groupIndex = new int[in];
            int width = (in + groups - 1) / groups;
            for (int c = 0; c < in; c++) {
                groupIndex[c] = c / width;
            }
        }
        try {
            return new GptqTensors(bits, in, out, groups, ints(checkpoint, qweight), ints(checkpoint, qzeros),
                    shorts(checkpoint, scales), groupIndex);
        } catch (IllegalArgumentException e) {
            throw new ScalpelException(checkpoint.fileOf(module + ".qweight") + ": module " + module + ": "
                    + e.getMessage(), e);
        }
    }

    private static TensorInfo require(Checkpoint checkpoint, String name, DType dtype, int rank) {
        if (!checkpoint.contains(name)) {
            throw new ScalpelException(checkpoint.source() + ": GPTQ tensor '" + name + "' is missing");
        }
        TensorInfo info = checkpoint.info(name);
        if (info.dtype() != dtype || info.rank() != rank) {
            throw new ScalpelException(checkpoint.fileOf(name) + ": GPTQ tensor '" + name + "' is " + info.dtype() + " "
                    + java.util.Arrays.toString(info.shape()) + "; expected " + dtype + " of rank " + rank);
        }
        return info;
    }

    private static int[] ints(Checkpoint checkpoint, TensorInfo info) {
        MemorySegment s = checkpoint.segment(info.name());
        int[] out = new int[Math.toIntExact(info.elementCount())];
        MemorySegment.copy(s, INT, 0, out, 0, out.length);
        return out;
    }

    private static short[] shorts(Checkpoint checkpoint, TensorInfo info) {
        MemorySegment s = checkpoint.segment(info.name());
        short[] out = new short[Math.toIntExact(info.elementCount())];
        MemorySegment.copy(s, SHORT, 0, out, 0, out.length);
        return out;
    }
}
