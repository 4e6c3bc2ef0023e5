package dev.scalpel.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.scalpel.core.ScalpelException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Activations recorded at hook points during a forward pass, by hook name (TransformerLens's {@code ActivationCache}).
 * The arrays live in the manager given at construction and outlive the forward pass that produced them.
 */
public final class ActivationCache implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> activations = new LinkedHashMap<>();

    public ActivationCache(NDManager manager) {
        this.manager = manager;
    }

    void record(String name, NDArray activation) {
        // The forward pass closes every temporary when it ends; a recorded activation must survive that.
        NDScope.unregister(activation);
        activation.attach(manager);
        NDArray previous = activations.put(name, activation);
        if (previous != null && previous != activation && !isHeldElsewhere(previous)) {
            previous.close();
        }
    }

    private boolean isHeldElsewhere(NDArray array) {
        return activations.containsValue(array);
    }

    /** The activation recorded at {@code name}; an error listing what was recorded if there is none. */
    public NDArray get(String name) {
        NDArray a = activations.get(name);
        if (a == null) {
            throw new ScalpelException("no activation cached at hook point '" + name + "'; cached: " + activations.keySet());
        }
        return a;
    }

    public boolean contains(String name) {
        return activations.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(activations.keySet());
    }

    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(activations);
    }

    @Override
    public void close() {
        activations.values().forEach(NDArray::close);
        activations.clear();
    }
}
