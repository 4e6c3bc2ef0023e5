package dev.scalpel.lab.build;

import dev.scalpel.core.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a training run on stderr: a progress bar on a terminal; plain lines (one per percent) when stderr goes to a
 * file or a pipe, where a bar's carriage returns would fill the log. Either way the time left is estimated from the
 * steps run in this process, so a resumed run's estimate is not skewed by the steps it resumed past.
 */
public final class ProgressListener implements TrainingListener, AutoCloseable {
    private final String task;
    private final long steps;
    private final PrintStream log;
    private final boolean interactive;
    private final LongSupplier nanoTime;
    private ProgressBar bar;
    private long firstStep = -1;
    private long startedAt;
    private double lastEval = Double.NaN;

    public ProgressListener(String task, long steps, boolean quiet) {
        this(task, steps, quiet ? null : System.err, System.console() != null, System::nanoTime);
    }

    /**
     * @param log where progress goes (null: quiet)
     * @param interactive a terminal (a bar) rather than a file (lines)
     * @param nanoTime the clock the time left is estimated with
     */
    ProgressListener(String task, long steps, PrintStream log, boolean interactive, LongSupplier nanoTime) {
        this.task = task;
        this.steps = steps;
        this.log = log;
        this.interactive = interactive;
        this.nanoTime = nanoTime;
    }

    @Override
    public void onStep(long step, long totalSteps, double loss, double learningRate, double gradNorm, double tokensPerSecond) {
        if (log == null) {
            return;
        }
        if (firstStep < 0) {
            firstStep = step;
            startedAt = nanoTime.getAsLong();
            if (interactive) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500).continuousUpdate().startsFrom(step, Duration.ZERO).build();
            }
        }
        String status = String.format(Locale.ROOT, "loss %.3f%s %,.0f tok/s", loss,
                Double.isNaN(lastEval) ? "" : String.format(Locale.ROOT, " (val %.3f)", lastEval), tokensPerSecond);
        long done = step + 1;
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(status);
        } else if (done % Math.max(1, steps / 100) == 0 || done == steps) {
            log.printf(Locale.ROOT, "%s step %,d/%,d (%d%%) %s, %s left%n", task, done, steps, 100 * done / steps, status,
                    timeLeft(done));
        }
    }

    /** From this process's own pace: (time since its first step) / (steps it ran) x (steps left). */
    private String timeLeft(long done) {
        long ran = done - firstStep;
        long seconds = Math.round((nanoTime.getAsLong() - startedAt) / 1e9 / ran * (steps - done));
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    @Override
    public void onEvaluation(long step, double validationLoss) {
        lastEval = validationLoss;
    }

    @Override
    public void onCheckpoint(long step, long tokens, Path folder) {
        if (log != null && bar == null) {
            log.printf("checkpoint at %,d tokens: %s%n", tokens, folder);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
