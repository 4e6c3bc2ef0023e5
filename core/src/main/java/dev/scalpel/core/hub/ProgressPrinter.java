package dev.scalpel.core.hub;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows large downloads on a terminal line that redraws itself ({@code \r}): file, bytes so far of the total, and the
 * transfer rate. Small files (configs, tokenizers) finish too fast to be worth a line and are not shown.
 */
public final class ProgressPrinter implements DownloadProgress {
    /** Files below this size are not shown. */
    public static final long DEFAULT_MINIMUM = 8L << 20;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final long minimum;
    private String file;
    private long startNanos;
    private long lastDrawNanos;

    public ProgressPrinter(PrintWriter out, long minimum) {
        this.out = out;
        this.minimum = minimum;
    }

    @Override
    public void advanced(String file, long done, long total, long resumedFrom) {
        if (total < minimum) {
            return;
        }
        long now = System.nanoTime();
        if (!file.equals(this.file)) {
            this.file = file;
            startNanos = now;
            lastDrawNanos = 0;
        }
        if (now - lastDrawNanos >= REDRAW_NANOS || done == total) {
            lastDrawNanos = now;
            double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
            out.print("\r" + line(file, done, total, (done - resumedFrom) / seconds));
            out.flush();
        }
    }

    @Override
    public void finished(String file, long total) {
        if (total >= minimum && file.equals(this.file)) {
            out.println();
            out.flush();
            this.file = null;
        }
    }

    /** One progress line, e.g. {@code model-00001-of-00002.safetensors  1.2 GB / 4.9 GB (24%)  38.1 MB/s}. */
    static String line(String file, long done, long total, double bytesPerSecond) {
        return String.format(Locale.ROOT, "%s  %s / %s (%d%%)  %s/s", file, formatBytes(done), formatBytes(total),
                total == 0 ? 100 : done * 100 / total, formatBytes((long) bytesPerSecond));
    }

    /** A byte count in decimal units, as download tools show them: {@code 812 B}, {@code 4.9 GB}. */
    public static String formatBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
