package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java data whose memory belongs to libtorch.
 *
 * <p>DJL's {@code NDManager.create(float[] ...)} copies the data into a direct {@code ByteBuffer} and hands libtorch a
 * {@code from_blob} view of it: the tensor does not own its memory, and only the Java {@code NDArray} keeps the buffer
 * alive. When that array is closed (an {@code NDScope} ending, a sub-manager closing) while libtorch still holds the
 * tensor (saved by autograd for the backward pass, or viewed by a reshape that lives on), the next garbage collection
 * frees the buffer and libtorch reads whatever is written there next. That was the intermittent NaN: GPT-2's position
 * ids and Llama's rotary tables, made inside the forward pass's scope, were read again by the backward pass after the
 * scope had closed them; a collection in between turned gradients into garbage (see FreedInputMemoryTest).
 *
 * <p>Every array the forward pass (or any code whose arrays may outlive their Java handle) makes from Java data goes
 * through here: the copy is libtorch's own, reference-counted like any computed tensor.
 */
public final class OwnedArrays {
    private OwnedArrays() {
    }

    public static NDArray of(NDManager manager, float[] data, Shape shape) {
        return own(manager.create(data, shape));
    }

    public static NDArray of(NDManager manager, long[] data, Shape shape) {
        return own(manager.create(data, shape));
    }

    public static NDArray of(NDManager manager, int[] data, Shape shape) {
        return own(manager.create(data, shape));
    }

    public static NDArray scalar(NDManager manager, float value) {
        return own(manager.create(value));
    }

    /** A libtorch-owned copy of {@code borrowed}, which is closed (its buffer may then be collected safely). */
    public static NDArray own(NDArray borrowed) {
        NDArray owned = borrowed.duplicate();
        borrowed.close();
        return owned;
    }
}
