package dev.scalpel.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a quantized checkpoint's packed module weights (a config.json with a {@code quantization_config}) as
 * {@link PackedLinear}s, so that {@link Models#load} runs it like any other model while its weights stay packed. Implementations are found with
 * {@link java.util.ServiceLoader}: core knows no packed format; scalpel-compress provides GPTQ's.
 */
public interface QuantizedWeightReader {

    /** Whether this reader reads checkpoints quantized as {@code quantizationConfig} says. */
    boolean reads(JsonNode quantizationConfig);

    /** Whether a stored tensor is one of the packed tensors this reader turns into weights (the loader skips those). */
    boolean consumes(String storedName);

    /**
     * Each quantized module's packed weight by the weight's parameter name; dequantized, each is in the orientation the
     * model stores it ({@link LinearModule#storedInByOut}).
     *
     * @param modules the linear modules of the model's architecture and config
     */
    Map<String, PackedLinear> read(Path folder, List<LinearModule> modules);
}
