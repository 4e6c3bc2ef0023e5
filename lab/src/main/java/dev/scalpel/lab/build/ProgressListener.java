package dev.scalpel.lab.build;

import dev.scalpel.core.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows a training run as a progress bar with loss and tokens per second (on stderr), or stays quiet. */
final class ProgressListener implements TrainingListener, AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream log;
    private double lastEval = Double.NaN;

    ProgressListener(String task, long steps, boolean quiet) {
        this.log = quiet ? null : System.err;
        this.bar = quiet ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    @Override
    public void onStep(long step, long totalSteps, double loss, double learningRate, double gradNorm, double tokensPerSecond) {
        if (bar != null) {
            bar.stepTo(step + 1);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f%s %,.0f tok/s", loss,
                    Double.isNaN(lastEval) ? "" : String.format(Locale.ROOT, " (val %.3f)", lastEval), tokensPerSecond));
        }
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
