package dev.scalpel.core.train;

import dev.scalpel.core.ScalpelException;

/**
 * Batches cut from one long token stream: documents concatenated (each {@code <bos> ... <eos>}), cut into windows of
 * {@code sequenceLength}, batch i taking windows i*B .. i*B+B-1 (wrapping around when the stream is shorter than the
 * run). A pure function of the index, as resuming needs.
 */
public final class PackedBatches implements BatchSource {
    private final int[] tokens;
    private final int batchSize;
    private final int sequenceLength;
    private final long windows;

    public PackedBatches(int[] tokens, int batchSize, int sequenceLength) {
        if (tokens.length < (long) sequenceLength) {
            throw new ScalpelException("token stream of " + tokens.length + " tokens is shorter than one sequence of "
                    + sequenceLength);
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.sequenceLength = sequenceLength;
        this.windows = tokens.length / sequenceLength;
    }

    @Override
    public long[] batch(long index) {
        long[] out = new long[batchSize * sequenceLength];
        for (int b = 0; b < batchSize; b++) {
            long window = Math.floorMod(index * batchSize + b, windows);
            int from = (int) (window * sequenceLength);
            for (int s = 0; s < sequenceLength; s++) {
                out[b * sequenceLength + s] = tokens[from + s];
            }
        }
        return out;
    }

    /** Number of distinct windows before batches repeat. */
    public long windows() {
        return windows;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public int sequenceLength() {
        return sequenceLength;
    }
}
