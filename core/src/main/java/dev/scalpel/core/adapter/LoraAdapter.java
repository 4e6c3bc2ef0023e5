package dev.scalpel.core.adapter;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA adapter (Hu et al. 2021): on each adapted linear module, W + s B A with A [r, in], B [out, r] and s = alpha / r
 * (alpha / sqrt(r) under rsLoRA). The factors are kept in the module's [out, in] orientation whatever the weight's
 * storage; a GPT-2 Conv1D weight receives the transposed change when merged.
 *
 * @param rank r, shared by every module
 * @param alpha lora_alpha
 * @param rankStabilized whether the scale is alpha / sqrt(r) (rsLoRA) rather than alpha / r
 * @param modules the factors by module name (Hugging Face names, as {@link LinearModule#name()}), in order
 */
public record LoraAdapter(int rank, double alpha, boolean rankStabilized, Map<String, Factors> modules) {

    /** One module's factors: the change is scale * b * a. */
    public record Factors(Matrix a, Matrix b) {
        public Factors {
            if (b.cols() != a.rows()) {
                throw new IllegalArgumentException("LoRA factors disagree on the rank: A is [" + a.rows() + ", " + a.cols()
                        + "], B is [" + b.rows() + ", " + b.cols() + "]");
            }
        }
    }

    public LoraAdapter {
        if (rank < 1) {
            throw new IllegalArgumentException("a LoRA rank must be at least 1, got " + rank);
        }
        modules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        for (var e : modules.entrySet()) {
            if (e.getValue().a().rows() != rank) {
                throw new IllegalArgumentException("module " + e.getKey() + " has rank " + e.getValue().a().rows()
                        + " where the adapter's is " + rank);
            }
        }
    }

    /** The factor the product B A is multiplied by. */
    public double scale() {
        return rankStabilized ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** The change the adapter makes to {@code module}'s weight, [out, in]. */
    public Matrix delta(String module) {
        Factors f = modules.get(module);
        if (f == null) {
            throw new ScalpelException("the adapter does not change " + module + " (it changes " + modules.keySet() + ")");
        }
        return f.b().times(f.a()).scale(scale());
    }

    /**
     * Adds every module's change to the model's weights, in place. Every module is checked (it exists, the shapes fit)
     * before any weight changes, so an adapter made for another model leaves this one untouched.
     */
    public void mergeInto(TransformerModel model) {
        List<LinearModule> targets = modules.keySet().stream().map(name -> target(model, name)).toList();
        for (LinearModule m : targets) {
            WeightUpdate.add(model, m, delta(m.name()));
        }
    }

    private LinearModule target(TransformerModel model, String name) {
        LinearModule module = model.linearModules().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new ScalpelException("the adapter changes " + name + ", which "
                        + model.architecture().modelType() + " with " + model.config().numLayers()
                        + " layers does not have"));
        Factors f = modules.get(name);
        if (f.a().cols() != module.inFeatures() || f.b().rows() != module.outFeatures()) {
            throw new ScalpelException("the adapter's factors for " + name + " make a [" + f.b().rows() + ", "
                    + f.a().cols() + "] change; the module is [" + module.outFeatures() + ", " + module.inFeatures()
                    + "] (out, in)");
        }
        return module;
    }
}
