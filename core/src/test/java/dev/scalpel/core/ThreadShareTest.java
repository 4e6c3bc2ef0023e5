package dev.scalpel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job's libtorch threads follow the other Scalpel jobs while it runs, or the user's fixed choice. */
class ThreadShareTest {
    @AfterEach
    void restore() {
        ThreadShare.fixed(java.lang.Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theShareSplitsTheCoresAndNeverFallsToZero() {
        assertEquals(2, ThreadShare.share(2, 0));
        assertEquals(1, ThreadShare.share(2, 1));
        assertEquals(4, ThreadShare.share(16, 3));
        assertEquals(1, ThreadShare.share(1, 5));
    }

    @Test
    void aRunningJobGivesUpThreadsWhenAnotherStartsAndTakesThemBackWhenItEnds() throws InterruptedException {
        try (NDManager ignored = NDManager.newBaseManager()) {   // loads libtorch
            AtomicInteger others = new AtomicInteger(1);
            ThreadShare.watch(others::get, 4, 20);
            ThreadShare.apply();
            assertEquals(2, ThreadShare.current(), "4 cores, one other job: 2 threads");
            others.set(0);
            waitFor(4);
            ThreadShare.apply();
            assertEquals(4, ThreadShare.current(), "the other job ended: all 4 again");
            others.set(3);
            waitFor(1);
            ThreadShare.apply();
            assertEquals(1, ThreadShare.current());
        } finally {
            ThreadShare.stopWatching();
        }
    }

    @Test
    void aFixedCountStopsTheWatchingAndZeroIsRefused() throws InterruptedException {
        try (NDManager ignored = NDManager.newBaseManager()) {
            AtomicInteger others = new AtomicInteger(3);
            ThreadShare.watch(others::get, 4, 20);
            ThreadShare.fixed(3);
            Thread.sleep(100);   // a watcher still running would have set 1 by now
            assertEquals(3, ThreadShare.wanted());
            ThreadShare.apply();
            assertEquals(3, ThreadShare.current());
            ScalpelException e = assertThrows(ScalpelException.class, () -> ThreadShare.fixed(0));
            assertEquals("--threads must be at least 1, not 0", e.getMessage());
        }
    }

    private static void waitFor(int threads) throws InterruptedException {
        for (int i = 0; i < 500 && ThreadShare.wanted() != threads; i++) {
            Thread.sleep(10);
        }
        assertEquals(threads, ThreadShare.wanted(), "the watcher re-decided");
    }
}
