package dev.scalpel.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters an architecture has, by Hugging Face name, with their shapes, how transformers initializes them and
 * whether a checkpoint must have them. Each family writes its layout once ({@link ModelFamily#layout}); it serves to
 * create models from a configuration alone (benchmarks, the lab's models before training) and to check a checkpoint
 * before any compute.
 */
public final class ParameterLayout {
    /** How a parameter starts: N(0, initializer_range) for weights, zeros for biases, ones (or zeros) for norms. */
    public enum Init { NORMAL, ZEROS, ONES }

    /**
     * One parameter's shape and initialization; {@code scale} multiplies the normal's standard deviation.
     *
     * @param required false for parts a checkpoint may lack (BERT's masked-LM head)
     */
    public record Entry(long[] shape, Init init, double scale, boolean required) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean required = true;

    ParameterLayout() {
    }

    /** The layout of {@code config}'s architecture, in the order transformers registers the parameters. */
    public static Map<String, Entry> of(ModelConfig config) {
        return config.architecture().family().layout(config).entries();
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** The names a checkpoint must hold. */
    public List<String> requiredNames() {
        List<String> names = new ArrayList<>();
        entries.forEach((name, e) -> {
            if (e.required()) {
                names.add(name);
            }
        });
        return names;
    }

    /** Parameters added after this call are optional. */
    ParameterLayout optionalFromHere() {
        required = false;
        return this;
    }

    ParameterLayout normal(String name, long... shape) {
        return put(name, shape, Init.NORMAL, 1);
    }

    ParameterLayout zeros(String name, long n) {
        return put(name, new long[] {n}, Init.ZEROS, 1);
    }

    /** A norm's weight vector, starting at one (or zero for Gemma's offsets from one). */
    ParameterLayout normWeight(String name, long n, Init init) {
        return put(name, new long[] {n}, init, 1);
    }

    /** A LayerNorm: weight ones, bias zeros. */
    ParameterLayout layerNorm(String module, long d) {
        normWeight(module + ".weight", d, Init.ONES);
        return zeros(module + ".bias", d);
    }

    /** An nn.Linear: weight [out, in] and, if {@code bias}, a zero bias. */
    ParameterLayout linear(String module, long out, long in, boolean bias) {
        normal(module + ".weight", out, in);
        return bias ? zeros(module + ".bias", out) : this;
    }

    /** GPT-2's Conv1D: weight [in, out] with its standard deviation scaled by {@code scale}, and a zero bias. */
    ParameterLayout conv1d(String module, long in, long out, double scale) {
        put(module + ".weight", new long[] {in, out}, Init.NORMAL, scale);
        return zeros(module + ".bias", out);
    }

    private ParameterLayout put(String name, long[] shape, Init init, double scale) {
        if (entries.putIfAbsent(name, new Entry(shape, init, scale, required)) != null) {
            throw new IllegalStateException("parameter " + name + " laid out twice");
        }
        return this;
    }
}
