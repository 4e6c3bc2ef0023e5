package dev.scalpel.edit;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightUpdate;
import java.util.List;

/**
 * Where edits go: the MLP's down projection of each edited layer, as its architecture's family declares it
 * ({@link LinearModule.Role#MLP_DOWN}). Its input is the key k ({@code blocks.L.mlp.hook_post}, length d_ff) and its
 * output feeds the residual stream. The algebra is written for W as [d_model, d_ff] (out x in): GPT-2's Conv1D stores it
 * transposed, Llama-style down_proj does not.
 *
 * @param layers the edited layers, ascending; the last one is where the target value z is read
 * @param modules the down projection of each edited layer, in the order of {@code layers}
 */
public record EditSite(List<Integer> layers, List<LinearModule> modules) {

    public EditSite {
        layers = List.copyOf(layers);
        modules = List.copyOf(modules);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an edit site needs at least one layer");
        }
    }

    /** The site of a model at {@code layers}. */
    public static EditSite of(TransformerModel model, List<Integer> layers) {
        if (!model.config().causal()) {
            throw new ScalpelException("knowledge editing needs a causal language model; " + model.architecture().modelType()
                    + " is an encoder");
        }
        int n = model.config().numLayers();
        for (int l : layers) {
            if (l < 0 || l >= n) {
                throw new ScalpelException("edit layer " + l + " does not exist: the model has layers 0.." + (n - 1));
            }
        }
        return new EditSite(layers, layers.stream().map(l -> model.linearModule(l, LinearModule.Role.MLP_DOWN)).toList());
    }

    /** The last edited layer, whose output holds the target value z. */
    public int lastLayer() {
        return layers.getLast();
    }

    /** The down projection of {@code layer}, one of the edited layers. */
    public LinearModule module(int layer) {
        int i = layers.indexOf(layer);
        if (i < 0) {
            throw new IllegalArgumentException("layer " + layer + " is not edited here (edited: " + layers + ")");
        }
        return modules.get(i);
    }

    public String weightName(int layer) {
        return module(layer).weight();
    }

    /** Where the keys are read: the down projection's input. */
    public String keyHook(int layer) {
        return module(layer).inputHook();
    }

    /** The down projection's own output (bias included, before any post-norm): where ROME's v* lives. */
    public String projectionOutputHook(int layer) {
        return module(layer).outputHooks().getFirst();
    }

    /** The block's output, where MEMIT-style methods read and optimize the target value z. */
    public static String outputHook(int layer) {
        return HookNames.block(layer, HookNames.RESID_POST);
    }

    /** The edited matrix of {@code layer} as [d_model, d_ff] float64. */
    public Matrix read(TransformerModel model, int layer) {
        return dev.scalpel.core.model.WeightUpdate.read(model, module(layer));
    }

    /**
     * Sets the edited matrix of {@code layer} to {@code value} ([d_model, d_ff]), rounded once to the stored type. A
     * resumed run uses this rather than {@link #add}: adding the saved change would round twice and leave weights a few
     * units in the last place away from those the uninterrupted run had.
     */
    public void write(TransformerModel model, int layer, Matrix value) {
        NDArray w = model.parameters().get(weightName(layer));
        Matrix v = module(layer).storedInByOut() ? value.transpose() : value;
        NDArray replacement = v.toNDArray(w.getManager(), w.getDataType());
        try {
            model.parameters().replace(weightName(layer), replacement);
        } finally {
            replacement.close();
        }
    }

    /** Adds {@code delta} ([d_model, d_ff]) to the edited matrix of {@code layer}, in place. */
    public void add(TransformerModel model, int layer, Matrix delta) {
        WeightUpdate.add(model, module(layer), delta);
    }
}
