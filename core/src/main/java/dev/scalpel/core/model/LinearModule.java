package dev.scalpel.core.model;

import java.util.List;

/**
 * One linear projection inside a block, with the hook points that see its input and its output: what every method that
 * works on weights one matrix at a time needs (knowledge editing's down projection, GPTQ's per-layer Hessians from the
 * input, MathNeuro's weight-times-activation scores, backdoor scans). The output hooks hold {@code x W^T + b} exactly,
 * reshaped (the per-head hooks are [B, Q, H, Dh]); a fused projection (GPT-2's c_attn) has one output hook per part, in
 * order.
 *
 * @param name the module's Hugging Face name, e.g. {@code transformer.h.3.mlp.c_proj}
 * @param weight the weight parameter's name
 * @param bias the bias parameter's name, or null when the module has none
 * @param storedInByOut true when the weight is stored [in, out] (GPT-2's Conv1D), false for [out, in] (nn.Linear)
 * @param inputHook the full hook name of the module's input
 * @param outputHooks the full hook names whose concatenation (over the last dimension, after flattening heads) is the
 *     module's output
 */
public record LinearModule(String name, int layer, Role role, String weight, String bias, boolean storedInByOut,
                           int inFeatures, int outFeatures, String inputHook, List<String> outputHooks) {

    /** What a projection does in its block. */
    public enum Role {
        /** GPT-2's fused query/key/value projection. */
        QKV,
        QUERY,
        KEY,
        VALUE,
        /** The attention's output projection. */
        ATTENTION_OUT,
        /** The gate of a gated MLP. */
        MLP_GATE,
        /** The MLP's up (first) projection. */
        MLP_UP,
        /** The MLP's down (last) projection, whose input is the MLP's hidden activation. */
        MLP_DOWN
    }

    public LinearModule {
        outputHooks = List.copyOf(outputHooks);
    }

    /** A module of {@code layer} whose parameters are {@code name.weight} and, if {@code hasBias}, {@code name.bias}. */
    static LinearModule of(String name, int layer, Role role, boolean hasBias, boolean storedInByOut, int in, int out,
                           String inputPoint, String... outputPoints) {
        return new LinearModule(name, layer, role, name + ".weight", hasBias ? name + ".bias" : null, storedInByOut, in, out,
                HookNames.block(layer, inputPoint),
                java.util.Arrays.stream(outputPoints).map(p -> HookNames.block(layer, p)).toList());
    }
}
