package dev.scalpel.core.hooks;

import ai.djl.ndarray.NDArray;

/**
 * A function run at a hook point during a forward pass. It receives the activation and returns the value the forward
 * continues with: the same array to only observe, or a new one to replace it (autograd flows through the new value).
 */
@FunctionalInterface
public interface HookFunction {
    NDArray apply(NDArray activation, String hookName);

    /** A hook that adds {@code delta} (broadcast over leading axes) to the activation: activation steering. */
    static HookFunction add(NDArray delta) {
        return (activation, name) -> activation.add(delta);
    }
}
