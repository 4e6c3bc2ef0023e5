package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A linear module's weight held in a compact form (low-bit codes with their scales), applied without ever holding the
 * dense matrix for long: the forward pass calls {@link #apply}, so a quantized model's resident memory is what its
 * codes take. Anything that reads the weight as a tensor (editing, training, saving, fingerprints) gets the dense
 * matrix from {@link #dequantize}, and the {@link Parameters} then keep that dense copy in its place.
 */
public interface PackedLinear extends AutoCloseable {

    int inFeatures();

    int outFeatures();

    /** The module's output without bias for x [..., in], as [..., out] in x's manager. */
    NDArray apply(NDArray x);

    /**
     * The dense weight in float32, in {@code manager}, in the orientation the model stores it: [out, in], or [in, out]
     * for a module stored that way ({@link LinearModule#storedInByOut}, GPT-2's Conv1D).
     */
    NDArray dequantize(NDManager manager);

    /** The bytes the packed form occupies (codes, scales and zero points). */
    long residentBytes();

    /** Frees the packed form. */
    @Override
    void close();
}
