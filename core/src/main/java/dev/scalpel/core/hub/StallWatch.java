package dev.scalpel.core.hub;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Closes a download's body stream when no byte has arrived for a while. The HTTP client's request timeout ends when
 * the response headers arrive; after that a server that stops sending without closing the connection would block the
 * read forever. Closing the stream from this watcher's thread ends the blocked read, and the download's retry resumes
 * the file with a Range request.
 */
final class StallWatch implements AutoCloseable {
    private final Closeable body;
    private final long limitNanos;
    private final Thread watcher;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean done;

    private StallWatch(Closeable body, Duration limit) {
        this.body = body;
        this.limitNanos = limit.toNanos();
        this.watcher = Thread.ofVirtual().name("scalpel-download-stall-watch").unstarted(this::watch);
    }

    static StallWatch start(Closeable body, Duration limit) {
        StallWatch w = new StallWatch(body, limit);
        w.watcher.start();
        return w;
    }

    /** Bytes arrived: the clock starts again. */
    void progressed() {
        lastProgress = System.nanoTime();
    }

    /** Whether the watcher closed the stream because it stalled. */
    boolean stalled() {
        return stalled;
    }

    private void watch() {
        long checkMillis = Math.max(10, Duration.ofNanos(limitNanos).toMillis() / 10);
        while (!done) {
            try {
                Thread.sleep(checkMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (!done && System.nanoTime() - lastProgress > limitNanos) {
                stalled = true;
                try {
                    body.close();
                } catch (IOException ignored) {
                    // The reader sees the stream end or fail either way; that is all closing is for.
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        done = true;
        watcher.interrupt();
    }
}
