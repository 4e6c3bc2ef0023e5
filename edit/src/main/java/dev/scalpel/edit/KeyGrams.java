package dev.scalpel.edit;

import dev.scalpel.core.linalg.Matrix;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sum of K K^T over every batch edited so far, per layer: MEMIT's and ENCORE's previous-edit term, AlphaEdit's
 * cache. It is an editor's whole state between batches, saved in a run's checkpoint under {@code prefix.layer}.
 */
public final class KeyGrams {
    private final String prefix;
    private final Map<Integer, Matrix> grams = new HashMap<>();

    /** @param prefix the checkpoint name of the state ({@code previousKeys}, {@code cache}) */
    public KeyGrams(String prefix) {
        this.prefix = prefix;
    }

    /** The accumulated K K^T of {@code layer} ([d_ff, d_ff]), or null before the first batch. */
    public Matrix get(int layer) {
        return grams.get(layer);
    }

    /** Adds K K^T of this batch's keys ([d_ff, n]). */
    public void add(int layer, Matrix keys) {
        grams.merge(layer, keys.times(keys.transpose()), Matrix::plus);
    }

    /** The state by checkpoint name. */
    public Map<String, Matrix> state() {
        Map<String, Matrix> s = new LinkedHashMap<>();
        grams.forEach((layer, m) -> s.put(prefix + "." + layer, m));
        return s;
    }

    /** Restores what {@link #state()} returned. */
    public void restore(Map<String, Matrix> state) {
        grams.clear();
        state.forEach((k, m) -> grams.put(Integer.parseInt(k.substring(k.indexOf('.') + 1)), m));
    }
}
