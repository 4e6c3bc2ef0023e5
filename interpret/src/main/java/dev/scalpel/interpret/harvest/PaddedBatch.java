package dev.scalpel.interpret.harvest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.model.ForwardRequest;
import java.util.List;

/**
 * Token sequences of one forward pass, right-padded to the longest with an attention mask. Right padding leaves
 * every real position where it would be alone (positions 0..n-1), so a causal model's real rows do not see padding.
 * A batch without padding gets no mask, so a single text runs exactly as a plain forward pass.
 */
public record PaddedBatch(List<long[]> sequences, int length) {

    public static PaddedBatch of(List<long[]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        int length = 0;
        for (long[] s : sequences) {
            if (s.length == 0) {
                throw new IllegalArgumentException("a batch cannot hold an empty sequence");
            }
            length = Math.max(length, s.length);
        }
        return new PaddedBatch(List.copyOf(sequences), length);
    }

    public int size() {
        return sequences.size();
    }

    /** Whether any sequence is shorter than the batch. */
    public boolean padded() {
        return sequences.stream().anyMatch(s -> s.length < length);
    }

    /** The request: ids [B, L] (padding id 0, masked out), and a mask [B, L] when anything is padding. */
    public ForwardRequest request(NDManager manager) {
        int b = sequences.size();
        long[] ids = new long[b * length];
        long[] mask = new long[b * length];
        for (int r = 0; r < b; r++) {
            long[] s = sequences.get(r);
            System.arraycopy(s, 0, ids, r * length, s.length);
            java.util.Arrays.fill(mask, r * length, r * length + s.length, 1L);
        }
        Shape shape = new Shape(b, length);
        ForwardRequest request = ForwardRequest.of(manager.create(ids, shape));
        return padded() ? request.withAttentionMask(manager.create(mask, shape)) : request;
    }

    /** 1 where a position is real and not left out, 0 elsewhere: [B * L] row-major. */
    public float[] keepMask(List<boolean[]> excluded) {
        float[] keep = new float[sequences.size() * length];
        for (int r = 0; r < sequences.size(); r++) {
            boolean[] ex = excluded.get(r);
            for (int p = 0; p < sequences.get(r).length; p++) {
                keep[r * length + p] = ex[p] ? 0f : 1f;
            }
        }
        return keep;
    }

    /** The attention mask as a float [B, L] array: 1 for real tokens. */
    public NDArray realMask(NDManager manager) {
        float[] real = new float[sequences.size() * length];
        for (int r = 0; r < sequences.size(); r++) {
            java.util.Arrays.fill(real, r * length, r * length + sequences.get(r).length, 1f);
        }
        return manager.create(real, new Shape(sequences.size(), length));
    }
}
