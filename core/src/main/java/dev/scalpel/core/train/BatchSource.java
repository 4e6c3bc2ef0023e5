package dev.scalpel.core.train;

/**
 * Training batches addressed by position rather than read from a stream: batch {@code i} is always the same ids, so a
 * resumed run sees exactly the data it would have seen.
 */
public interface BatchSource {
    /** Token ids of batch {@code index}, row-major [batchSize, sequenceLength]. */
    long[] batch(long index);

    int batchSize();

    int sequenceLength();
}
