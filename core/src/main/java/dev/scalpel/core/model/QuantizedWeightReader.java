package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a quantized checkpoint's packed module weights (a config.json with a {@code quantization_config}) as dense
 * float32 weights, so that {@link Models#load} runs it like any other model. Implementations are found with
 * {@link java.util.ServiceLoader}: core knows no packed format; scalpel-compress provides GPTQ's.
 */
public interface QuantizedWeightReader {

    /** Whether this reader reads checkpoints quantized as {@code quantizationConfig} says. */
    boolean reads(JsonNode quantizationConfig);

    /** Whether a stored tensor is one of the packed tensors this reader turns into weights (the loader skips those). */
    boolean consumes(String storedName);

    /**
     * Each quantized module's dense weight in the orientation the model stores it ({@link LinearModule#storedInByOut}),
     * by the weight's parameter name, in {@code manager}.
     *
     * @param modules the linear modules of the model's architecture and config
     */
    Map<String, NDArray> read(Path folder, List<LinearModule> modules, NDManager manager);
}
