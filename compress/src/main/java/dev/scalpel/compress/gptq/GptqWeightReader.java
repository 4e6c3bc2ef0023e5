package dev.scalpel.compress.gptq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.PackedLinear;
import dev.scalpel.core.model.QuantizedWeightReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GPTQ checkpoints (transformers' v1 layout) for {@code Models.load}: each module's codes held packed for inference. */
public final class GptqWeightReader implements QuantizedWeightReader {
    private static final List<String> PACKED = List.of(".qweight", ".qzeros", ".scales", ".g_idx");

    @Override
    public boolean reads(JsonNode quantizationConfig) {
        return "gptq".equals(quantizationConfig.path("quant_method").asText());
    }

    @Override
    public boolean consumes(String storedName) {
        return PACKED.stream().anyMatch(storedName::endsWith);
    }

    @Override
    public Map<String, PackedLinear> read(Path folder, List<LinearModule> modules) {
        GptqCheckpoint checkpoint = GptqCheckpoint.read(folder);
        Map<String, PackedLinear> weights = new LinkedHashMap<>();
        for (LinearModule module : modules) {
            GptqTensors tensors = checkpoint.modules().get(module.name());
            if (tensors == null) {
                continue;   // left unquantized: its weight is stored as usual
            }
            if (tensors.inFeatures() != module.inFeatures() || tensors.outFeatures() != module.outFeatures()) {
                throw new ScalpelException(folder + ": GPTQ module " + module.name() + " packs " + tensors.inFeatures()
                        + " -> " + tensors.outFeatures() + " but config.json makes it " + module.inFeatures() + " -> "
                        + module.outFeatures());
            }
            var config = checkpoint.config();
            QuantizedMatrix q = tensors.unpack(config.symmetric(), config.groupSize());
            weights.put(module.weight(), PackedGptqLinear.of(q, module.storedInByOut()));
        }
        List<String> unknown = checkpoint.modules().keySet().stream()
                .filter(name -> modules.stream().noneMatch(m -> m.name().equals(name))).toList();
        if (!unknown.isEmpty()) {
            throw new ScalpelException(folder + ": GPTQ tensors for modules the architecture does not have: " + unknown);
        }
        return weights;
    }
}
