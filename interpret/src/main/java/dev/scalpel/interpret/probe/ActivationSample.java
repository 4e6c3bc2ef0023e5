package dev.scalpel.interpret.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keeps the first {@code capacity} counted token rows that pass through a {@link HookActivations} run, so that an SAE
 * can be checked against the very activations it is about to encode (see
 * {@link dev.scalpel.interpret.sae.ReconstructionCheck}) without a second forward pass.
 */
public final class ActivationSample implements HookActivations.Consumer {
    private final int capacity;
    private float[] rows = new float[0];
    private int dimension;
    private int count;

    public ActivationSample(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void accept(int[] texts, NDArray activations, NDArray mask) {
        if (count >= capacity) {
            return;
        }
        long[] shape = activations.getShape().getShape();
        int b = (int) shape[0];
        int t = (int) shape[1];
        dimension = (int) shape[2];
        if (rows.length == 0) {
            rows = new float[capacity * dimension];
        }
        float[] a = activations.toFloatArray();
        float[] m = mask.toFloatArray();
        for (int i = 0; i < b * t && count < capacity; i++) {
            if (m[i] != 0f) {
                System.arraycopy(a, i * dimension, rows, count * dimension, dimension);
                count++;
            }
        }
    }

    /** Rows kept so far. */
    public int count() {
        return count;
    }

    /** The kept rows {@code [count, d]} in {@code manager}. */
    public NDArray rows(NDManager manager) {
        return manager.create(Arrays.copyOf(rows, count * dimension), new Shape(count, dimension));
    }
}
