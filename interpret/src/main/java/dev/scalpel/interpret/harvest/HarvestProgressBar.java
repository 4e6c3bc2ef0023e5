package dev.scalpel.interpret.harvest;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A terminal progress bar for a harvest, redrawn in place ({@code \r}) at most four times a second:
 * {@code [##########----------]  50%  500/1000 texts  61,234 rows  1 shard(s)  85.0 texts/s}.
 */
public final class HarvestProgressBar implements HarvestProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private long firstDone = -1;
    private boolean finished;

    public HarvestProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(long textsDone, long textsTotal, long rows, int shards) {
        if (firstDone < 0) {
            firstDone = textsDone;
        }
        long now = System.nanoTime();
        boolean done = textsDone >= textsTotal;
        if (finished || (!done && now - lastDraw < REDRAW_NANOS)) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        out.print("\r" + line(textsDone, textsTotal, rows, shards, (textsDone - firstDone) / seconds));
        if (done) {
            out.println();
            finished = true;
        }
        out.flush();
    }

    static String line(long done, long total, long rows, int shards, double textsPerSecond) {
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        long percent = total == 0 ? 100 : done * 100 / total;
        return String.format(Locale.ROOT, "[%s] %3d%%  %d/%d texts  %,d rows  %d shard(s)  %.1f texts/s", bar, percent,
                done, total, rows, shards, textsPerSecond);
    }
}
