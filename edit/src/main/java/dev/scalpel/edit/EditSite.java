package dev.scalpel.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.Architecture;
import dev.scalpel.core.model.TransformerModel;
import java.util.List;

/**
 * Where edits go: the MLP output projection of each edited layer ("the down projection"), whose input is the key k
 * ({@code blocks.L.mlp.hook_post}, length d_ff) and whose output feeds the residual stream. The algebra is written for
 * W as [d_model, d_ff] (out x in): GPT-2's Conv1D stores it transposed, Llama-style down_proj does not.
 *
 * @param layers the edited layers, ascending; the last one is where the target value z is read
 */
public record EditSite(List<Integer> layers, String weightPattern, boolean storedTransposed) {

    public EditSite {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an edit site needs at least one layer");
        }
    }

    /** The site of an architecture at {@code layers}. */
    public static EditSite of(TransformerModel model, List<Integer> layers) {
        Architecture a = model.architecture();
        int n = model.config().numLayers();
        for (int l : layers) {
            if (l < 0 || l >= n) {
                throw new ScalpelException("edit layer " + l + " does not exist: the model has layers 0.." + (n - 1));
            }
        }
        return switch (a) {
            case GPT2 -> new EditSite(layers, "transformer.h.%d.mlp.c_proj.weight", true);
            case LLAMA, MISTRAL, QWEN2, GEMMA2 -> new EditSite(layers, "model.layers.%d.mlp.down_proj.weight", false);
            case BERT -> throw new ScalpelException("knowledge editing needs a causal language model; " + a.modelType()
                    + " is an encoder");
        };
    }

    /** The last edited layer, whose output holds the target value z. */
    public int lastLayer() {
        return layers.getLast();
    }

    public String weightName(int layer) {
        return String.format(weightPattern, layer);
    }

    public static String keyHook(int layer) {
        return "blocks." + layer + ".mlp.hook_post";
    }

    public static String outputHook(int layer) {
        return "blocks." + layer + ".hook_resid_post";
    }

    /** The edited matrix of {@code layer} as [d_model, d_ff] float64. */
    public Matrix read(TransformerModel model, int layer) {
        Matrix w = Matrix.from(model.parameters().get(weightName(layer)));
        return storedTransposed ? w.transpose() : w;
    }

    /**
     * Sets the edited matrix of {@code layer} to {@code value} ([d_model, d_ff]), rounded once to the stored type. A
     * resumed run uses this rather than {@link #add}: adding the saved change would round twice and leave weights a few
     * units in the last place away from those the uninterrupted run had.
     */
    public void write(TransformerModel model, int layer, Matrix value) {
        NDArray w = model.parameters().get(weightName(layer));
        Matrix v = storedTransposed ? value.transpose() : value;
        NDArray replacement = v.toNDArray(w.getManager(), w.getDataType());
        try {
            model.parameters().replace(weightName(layer), replacement);
        } finally {
            replacement.close();
        }
    }

    /** Adds {@code delta} ([d_model, d_ff]) to the edited matrix of {@code layer}, in place. */
    public void add(TransformerModel model, int layer, Matrix delta) {
        NDArray w = model.parameters().get(weightName(layer));
        Matrix d = storedTransposed ? delta.transpose() : delta;
        NDArray update = d.toNDArray(w.getManager(), DataType.FLOAT32);
        try {
            model.parameters().replace(weightName(layer), w.add(update));
        } finally {
            update.close();
        }
    }
}
