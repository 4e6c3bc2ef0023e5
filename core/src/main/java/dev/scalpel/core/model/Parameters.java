package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model's weights by their Hugging Face names ({@code model.layers.3.mlp.down_proj.weight}), held as float32 for
 * compute, with the dtype each had on disk so that saving writes them back as they came. A quantized checkpoint's
 * linear weights may instead be held {@link PackedLinear packed}: the forward pass applies them as they are, and the
 * first read of one as a tensor ({@link #get}, {@link #asMap}, gradients) replaces it with its dense float32 matrix,
 * so everything that works on dense weights works on a quantized model too, at the memory of the weights it touched.
 */
public final class Parameters implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();
    private final Map<String, PackedLinear> packed = new LinkedHashMap<>();
    private final Set<String> order = new java.util.LinkedHashSet<>();
    private final Map<String, DType> storage = new LinkedHashMap<>();

    public Parameters(NDManager manager) {
        this.manager = manager;
    }

    /** The manager that owns every parameter; arrays created from parameters for long-lived use belong here. */
    public NDManager manager() {
        return manager;
    }

    /** Adds a parameter (used while loading); the array must already belong to {@link #manager()}. */
    public void put(String name, NDArray value, DType storedAs) {
        value.setName(name);
        tensors.put(name, value);
        order.add(name);
        storage.put(name, storedAs);
    }

    /** Adds a linear weight [out, in] held packed (used while loading a quantized checkpoint). */
    public void putPacked(String name, PackedLinear value, DType storedAs) {
        packed.put(name, value);
        order.add(name);
        storage.put(name, storedAs);
    }

    /** The packed form of weight {@code name}, or null when it is held dense (or was read as a tensor since). */
    public PackedLinear packed(String name) {
        return packed.get(name);
    }

    /** Whether any weight is still held packed. */
    public boolean hasPacked() {
        return !packed.isEmpty();
    }

    /**
     * The parameter called {@code name}; an error naming similar parameters if there is none. A packed weight is
     * dequantized here and held dense from now on.
     */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null && packed.containsKey(name)) {
            a = materialize(name);
        }
        if (a == null) {
            throw new ScalpelException("no parameter named '" + name + "'" + suggestions(name));
        }
        return a;
    }

    private NDArray materialize(String name) {
        try (PackedLinear p = packed.remove(name)) {
            NDArray dense = p.dequantize(manager);
            dense.setName(name);
            tensors.put(name, dense);
            return dense;
        }
    }

    private void materializeAll() {
        for (String name : List.copyOf(packed.keySet())) {
            materialize(name);
        }
    }

    public boolean contains(String name) {
        return order.contains(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(order);
    }

    /** Every parameter as a tensor, in load order; packed weights are dequantized first. */
    public Map<String, NDArray> asMap() {
        materializeAll();
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : order) {
            ordered.put(name, tensors.get(name));
        }
        return Collections.unmodifiableMap(ordered);
    }

    /** The bytes the weights occupy in memory: float32 tensors at four bytes an element, packed ones as packed. */
    public long residentBytes() {
        long bytes = packed.values().stream().mapToLong(PackedLinear::residentBytes).sum();
        for (NDArray a : tensors.values()) {
            bytes += a.size() * a.getDataType().getNumOfBytes();
        }
        return bytes;
    }

    /** The dtype the parameter had in the checkpoint it came from. */
    public DType storedAs(String name) {
        if (!contains(name)) {
            get(name);   // the error with suggestions
        }
        return storage.get(name);
    }

    /** Total number of elements over all parameters. */
    public long count() {
        return tensors.values().stream().mapToLong(NDArray::size).sum()
                + packed.values().stream().mapToLong(p -> (long) p.inFeatures() * p.outFeatures()).sum();
    }

    /**
     * Replaces the values of {@code name} in place with a copy of {@code value} (same shape required). Everything that
     * holds the parameter sees the new values; {@code value} itself stays the caller's.
     */
    public void replace(String name, NDArray value) {
        NDArray current = get(name);
        Shape want = current.getShape();
        if (!want.equals(value.getShape())) {
            throw new ScalpelException("cannot replace parameter '" + name + "': shape " + value.getShape()
                    + " does not match " + want);
        }
        boolean trainable = current.hasGradient();
        NDArray copy = value.toType(current.getDataType(), false).duplicate();
        copy.attach(manager);
        current.intern(copy);
        if (trainable) {
            current.setRequiresGradient(true);
        }
    }

    /** Sets every parameter's accumulated gradient to zero (libtorch's {@code grad.zero_()}). */
    public void zeroGradients() {
        for (NDArray a : tensors.values()) {   // a packed weight never had a gradient
            if (a.hasGradient()) {
                zeroGradient(a);
            }
        }
    }

    // zero_ rather than g - g: after an overflow the gradient holds Inf, and Inf - Inf is NaN, which the next step
    // would then inherit.
    private static void zeroGradient(NDArray a) {
        var tensor = (ai.djl.pytorch.engine.PtNDArray) a;
        var gradient = ai.djl.pytorch.jni.JniUtils.getGradient(tensor);   // null until a backward pass made one
        if (gradient != null) {
            gradient.close();
            ai.djl.pytorch.jni.JniUtils.zeroGrad(tensor);
        }
    }

    /** Marks every floating-point parameter as needing a gradient (and clears old gradients), or unmarks them. */
    public void requireGradients(boolean on) {
        if (on) {
            materializeAll();   // gradients flow into dense tensors only
        }
        for (NDArray a : tensors.values()) {
            if (a.getDataType() != DataType.FLOAT32) {
                continue;
            }
            if (on) {
                a.setRequiresGradient(true);
                zeroGradient(a);   // DJL's PyTorch collector accumulates; a fresh request starts from zero
            } else if (a.hasGradient()) {
                a.setRequiresGradient(false);
            }
        }
    }

    private String suggestions(String name) {
        String close = order.stream()
                .sorted(java.util.Comparator.comparingInt(n -> editDistance(n, name)))
                .limit(3).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return close.isEmpty() ? " (the model has no parameters)" : "; did you mean " + close + "?";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public void close() {
        tensors.values().forEach(NDArray::close);
        tensors.clear();
        packed.values().forEach(PackedLinear::close);
        packed.clear();
        order.clear();
        manager.close();
    }
}
