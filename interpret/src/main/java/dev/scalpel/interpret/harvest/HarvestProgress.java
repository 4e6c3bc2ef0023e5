package dev.scalpel.interpret.harvest;

/**
 * Receives a harvest's progress: once at the start (counting what a resume skips), after every batch, and once at the
 * end, after the last shard is written (or at once, when the folder already holds the finished harvest).
 */
@FunctionalInterface
public interface HarvestProgress {
    /**
     * @param textsDone texts processed so far, those skipped on resume included
     * @param rows rows written or buffered so far
     * @param shards shard files written so far
     */
    void update(long textsDone, long textsTotal, long rows, int shards);

    HarvestProgress NONE = (textsDone, textsTotal, rows, shards) -> { };
}
