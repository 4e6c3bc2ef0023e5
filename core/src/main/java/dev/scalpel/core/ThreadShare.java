package dev.scalpel.core;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * How many libtorch intra-op threads this process uses, kept right while it runs.
 *
 * <p>Two libtorch jobs each running one OpenMP thread per core oversubscribe the machine and both slow down many times
 * over. Unless the user chose a count ({@code --threads N} or {@code OMP_NUM_THREADS}), a watcher looks every few
 * seconds at how many other Scalpel jobs run and takes {@code cores / (others + 1)} threads (at least one): fewer when
 * another job starts, all the cores again when it ends. OpenBLAS stays on the calling thread ({@code Linalg}), so the
 * two pools never add up.
 *
 * <p>libtorch's thread count belongs to each calling thread (OpenMP's setting is per thread), so the watcher only
 * decides; every forward pass applies the decision on its own thread ({@link #apply()}, a volatile read when nothing
 * changed).
 */
public final class ThreadShare {
    private static final long WATCH_MILLIS = 5_000;
    private static volatile int wanted;                 // 0: nobody decided, libtorch's default stands
    private static final ThreadLocal<Integer> APPLIED = ThreadLocal.withInitial(() -> 0);
    private static Thread watcher;

    private ThreadShare() {
    }

    /** A fixed count chosen by the user; stops any watching. */
    public static synchronized void fixed(int threads) {
        if (threads < 1) {
            throw new ScalpelException("--threads must be at least 1, not " + threads);
        }
        stopWatching();
        wanted = threads;   // applied by the next forward pass (libtorch may not be loaded yet)
    }

    /**
     * Shares the cores with the other Scalpel jobs, re-checked every few seconds, unless OMP_NUM_THREADS is set (the
     * user's choice is kept).
     */
    public static synchronized void shareWithOtherJobs() {
        if (System.getenv("OMP_NUM_THREADS") != null || watcher != null) {
            return;
        }
        watch(ThreadShare::otherScalpelJobs, java.lang.Runtime.getRuntime().availableProcessors(), WATCH_MILLIS);
    }

    /** The share for {@code cores} cores when {@code others} other jobs run. */
    static int share(int cores, int others) {
        return Math.max(1, cores / (others + 1));
    }

    /** Watching with a given count of other jobs (tests give their own). */
    static synchronized void watch(IntSupplier others, int cores, long everyMillis) {
        stopWatching();
        decide(cores, others.getAsInt());
        watcher = Thread.ofPlatform().daemon().name("scalpel-thread-share").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                decide(cores, others.getAsInt());
            }
        });
    }

    private static void decide(int cores, int others) {
        int next = share(cores, others);
        if (next != wanted && (others > 0 || wanted > 0)) {
            System.err.printf("scalpel: %d other Scalpel job(s) running; this one now uses %d thread(s) (--threads N to"
                    + " choose)%n", others, next);
        }
        wanted = next;
    }

    static synchronized void stopWatching() {
        if (watcher != null) {
            watcher.interrupt();
            watcher = null;
        }
    }

    /** The count decided now (0 if nothing was decided). */
    public static int wanted() {
        return wanted;
    }

    /**
     * Sets libtorch's thread count on the calling thread if the decision changed since this thread last applied it.
     * Call it where libtorch is loaded (the forward pass does).
     */
    public static void apply() {
        int w = wanted;
        if (w > 0 && APPLIED.get() != w) {
            JniUtils.setNumThreads(w);
            APPLIED.set(w);
        }
    }

    /** libtorch's intra-op thread count on the calling thread. */
    public static int current() {
        return JniUtils.getNumThreads();
    }

    private static int otherScalpelJobs() {
        long self = ProcessHandle.current().pid();
        return (int) ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .map(p -> p.info().commandLine())
                .flatMap(Optional::stream)
                .filter(c -> c.contains("dev.scalpel.cli.Main"))
                .count();
    }
}
