package dev.scalpel.edit;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch update MEMIT, AlphaEdit and ENCORE share (MEMIT Algorithm 1): compute every target value z at the last
 * edited layer first; then, for each edited layer in ascending order, recompute the keys K and current outputs H with
 * the partially edited model, spread the remaining residual R = (Z - H) / (layers left) over this layer, solve for its
 * update with the method's own normal equations, and apply it immediately.
 */
public abstract class LayerwiseEditor<H extends LocateThenEditHyperparameters> implements Editor {
    protected final EditContext context;
    protected final H hp;
    /** K K^T of every batch edited so far, per layer: the editor's state between batches. */
    protected final KeyGrams editedKeys;

    /** @param stateName the checkpoint name of {@link #editedKeys} ({@code previousKeys}, {@code cache}) */
    protected LayerwiseEditor(EditContext context, H hp, String stateName) {
        this.context = context;
        this.hp = hp;
        this.editedKeys = new KeyGrams(stateName);
    }

    @Override
    public Map<String, Matrix> state() {
        return editedKeys.state();
    }

    @Override
    public void restore(Map<String, Matrix> state) {
        editedKeys.restore(state);
    }

    /** The update of {@code layer} ([d_model, d_ff]) from keys K ([d_ff, n]) and residual R ([d_model, n]). */
    protected abstract Matrix update(int layer, Matrix keys, Matrix residual);

    /** Called after the whole batch is applied (for state that needs the edited model). */
    protected void afterBatch(List<EditRequest> batch) {
    }

    @Override
    public BatchResult apply(List<EditRequest> batch) {
        long t0 = System.nanoTime();
        List<Integer> iterations = new ArrayList<>();
        int last = context.site().lastLayer();
        ValueOptimizer values = context.values();
        Matrix z = Matrix.zeros(context.model().config().hiddenSize(), batch.size());
        for (int j = 0; j < batch.size(); j++) {
            ValueOptimizer.Value v = values.optimize(batch.get(j), context.contextTemplates(), last, hp.value());
            iterations.add(v.iterations());
            for (int i = 0; i < v.z().length; i++) {
                z.set(i, j, v.z()[i]);
            }
        }
        long valuesDone = System.nanoTime();
        Map<Integer, Double> norms = new LinkedHashMap<>();
        Map<Integer, Double> keyNorms = new LinkedHashMap<>();
        List<Integer> layers = context.site().layers();
        for (int i = 0; i < layers.size(); i++) {
            int layer = layers.get(i);
            Matrix keys = context.keys(batch, layer);
            Matrix current = context.outputs(batch, last);
            Matrix residual = z.minus(current).scale(1.0 / (layers.size() - i));
            requireFinite(keys, "keys", layer, batch);
            requireFinite(residual, "residuals", layer, batch);
            Matrix delta = update(layer, keys, residual);
            requireFinite(delta, "update", layer, batch);
            context.site().add(context.model(), layer, delta);
            norms.put(layer, delta.norm());
            double keyNorm = keys.norm();
            keyNorms.put(layer, keyNorm * keyNorm / keys.cols());
        }
        afterBatch(batch);
        return new BatchResult((System.nanoTime() - t0) / 1e9, (valuesDone - t0) / 1e9, iterations, norms,
                keyNorms);
    }

    /**
     * An edit that makes the model overflow (too weak a covariance weight, too few C0 tokens, a diverged value) would
     * otherwise surface as a LAPACK argument error or as NaN weights saved to disk.
     */
    private static void requireFinite(Matrix m, String what, int layer, List<EditRequest> batch) {
        for (double v : m.data()) {
            if (!Double.isFinite(v)) {
                throw new ScalpelException("the " + what + " of layer " + layer + " hold NaN or infinity"
                        + " while editing " + batch.stream().map(EditRequest::caseId).toList()
                        + ": earlier edits have made the model overflow (raise the covariance weight or the C0 token count)");
            }
        }
    }

    /** K K^T ([d_ff, d_ff]). */
    protected static Matrix gram(Matrix keys) {
        return keys.times(keys.transpose());
    }
}
