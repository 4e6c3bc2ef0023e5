package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of earlier positions, per layer, so that decoding a new token attends to them without recomputing.
 * Buffers are preallocated [batch, kv_heads, capacity, head_dim] and grow by doubling, so appending a token copies only
 * that token's keys and values.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int[] filled;
    private int length;
    private int capacity;

    /** An empty cache for {@code layers} layers that first reserves room for {@code initialCapacity} positions. */
    public KvCache(NDManager parent, int layers, int initialCapacity) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.filled = new int[layers];
        this.capacity = Math.max(1, initialCapacity);
    }

    /** Number of positions already stored (the offset of the next token). */
    public int length() {
        return length;
    }

    /**
     * Stores the new keys and values of {@code layer} ([B, H_kv, Q, Dh]) after the cached ones and returns all of them
     * ([B, H_kv, length + Q, Dh]) as views valid until the next append.
     */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        Shape s = k.getShape();
        int q = (int) s.get(2);
        if (filled[layer] != length) {
            throw new IllegalStateException("layer " + layer + " appended twice in one step");
        }
        int end = length + q;
        if (keys[layer] == null || end > keys[layer].getShape().get(2)) {
            grow(layer, s, end);
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, end);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        filled[layer] = end;
        NDIndex upTo = new NDIndex(":, :, :{}", end);
        return new NDArray[] {keys[layer].get(upTo), values[layer].get(upTo)};
    }

    /** Marks the step's {@code q} positions as stored once every layer has appended them. */
    public void advance(int q) {
        length += q;
    }

    private void grow(int layer, Shape s, int needed) {
        while (capacity < needed) {
            capacity *= 2;
        }
        Shape shape = new Shape(s.get(0), s.get(1), capacity, s.get(3));
        NDArray k = manager.zeros(shape, keysType(s, layer));
        NDArray v = manager.zeros(shape, keysType(s, layer));
        // Created inside a forward pass's scope, the buffers must not be closed when that pass ends.
        NDScope.unregister(k);
        NDScope.unregister(v);
        if (keys[layer] != null && length > 0) {
            NDIndex old = new NDIndex(":, :, :{}", length);
            k.set(old, keys[layer].get(old));
            v.set(old, values[layer].get(old));
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
    }

    private DataType keysType(Shape s, int layer) {
        return keys[layer] != null ? keys[layer].getDataType() : DataType.FLOAT32;
    }

    @Override
    public void close() {
        manager.close();
    }
}
