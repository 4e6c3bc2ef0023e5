package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import java.util.HashMap;
import java.util.Map;

/**
 * What one forward pass knows besides the weights: batch and step sizes, where the step starts in the cache, which
 * keys are padding, the positions of the new tokens, and the masks built for them (once per window size).
 */
final class ForwardPass {
    final NDManager manager;
    final NDArray inputIds;      // [B, Q] int64
    final int batch;
    final int queries;
    final int past;
    final long[][] keyMask;      // [B, past + Q], null when nothing is padding
    final long[][] positions;    // [B, Q]
    final NDArray tokenTypeIds;  // [B, Q] or null
    final KvCache cache;
    final boolean lastPositionOnly;
    private final boolean causal;
    private final Map<Integer, NDArray> masks = new HashMap<>();

    ForwardPass(ForwardRequest r, NDManager manager, boolean causal) {
        this.manager = manager;
        this.causal = causal;
        NDArray ids = r.inputIds();
        if (ids.getShape().dimension() != 2) {
            throw new ScalpelException("input ids must be [batch, sequence] but have shape " + ids.getShape());
        }
        this.inputIds = ids.toType(ai.djl.ndarray.types.DataType.INT64, false);
        this.batch = (int) ids.getShape().get(0);
        this.queries = (int) ids.getShape().get(1);
        if (queries == 0) {
            throw new ScalpelException("input ids are empty: a forward pass needs at least one token");
        }
        this.cache = r.cache();
        this.past = cache == null ? 0 : cache.length();
        this.keyMask = readMask(r.attentionMask());
        this.positions = r.positionIds() != null ? toRows(r.positionIds(), "position ids", queries) : derivePositions();
        this.tokenTypeIds = r.tokenTypeIds();
        this.lastPositionOnly = r.lastPositionOnly();
    }

    private long[][] readMask(NDArray mask) {
        if (mask == null) {
            return null;
        }
        long[][] m = toRows(mask, "attention mask", past + queries);
        for (long[] row : m) {
            for (long v : row) {
                if (v == 0) {
                    return m;
                }
            }
        }
        return null;  // all ones: nothing to mask
    }

    private long[][] toRows(NDArray a, String what, int width) {
        if (a.getShape().dimension() != 2 || a.getShape().get(0) != batch || a.getShape().get(1) != width) {
            throw new ScalpelException(what + " must have shape (" + batch + ", " + width + ") but has " + a.getShape());
        }
        long[] flat = a.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        long[][] rows = new long[batch][width];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(flat, b * width, rows[b], 0, width);
        }
        return rows;
    }

    // Decoders follow transformers' generate: position = (number of real tokens so far) - 1, and 1 on padding.
    // Encoders (BERT) number positions by index whatever the padding, as transformers does.
    private long[][] derivePositions() {
        long[][] pos = new long[batch][queries];
        for (int b = 0; b < batch; b++) {
            if (!causal) {
                for (int j = 0; j < queries; j++) {
                    pos[b][j] = past + j;
                }
                continue;
            }
            long seen = 0;
            for (int j = 0; j < past + queries; j++) {
                boolean real = keyMask == null || keyMask[b][j] != 0;
                if (real) {
                    seen++;
                }
                if (j >= past) {
                    pos[b][j - past] = real ? seen - 1 : 1;
                }
            }
        }
        return pos;
    }

    /** The additive attention mask for layers with this sliding window (0 = none); null when nothing is masked. */
    NDArray mask(int window) {
        return masks.computeIfAbsent(window, w -> Attention.mask(manager, keyMask, batch, past, queries, causal, w));
    }

    int keyLength() {
        return past + queries;
    }
}
