package dev.scalpel.cli;

import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.interpret.data.SpamAssassin;
import dev.scalpel.interpret.harvest.HarvestProgress;
import dev.scalpel.interpret.harvest.HarvestProgressBar;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.mosaic.MosaicClaims;
import dev.scalpel.interpret.mosaic.MosaicConfig;
import dev.scalpel.interpret.mosaic.MosaicReport;
import dev.scalpel.interpret.mosaic.MosaicReproduction;
import dev.scalpel.interpret.mosaic.MosaicResults;
import dev.scalpel.interpret.sae.train.SaeTrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalpel reproduce sae-probing}: the MOSAIC grid on the SpamAssassin corpus, with its report and claims. */
@Command(name = "sae-probing", description = {
    "MOSAIC on the bundled SpamAssassin corpus (6,046 real emails): harvest a middle and a late layer, train TopK and",
    "ReLU + L1 SAEs of two widths on the training split's tokens, probe every pooling with and without binarization",
    "against hidden-state and TF-IDF baselines on the same split and folds, and check the paper's claim. Resumable.",
    "The report, claims.md and chart.svg go to --report (default docs/reproductions/sae-probing/MODEL)."})
final class ReproduceSaeProbing implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "minilm", description = "minilm (all-MiniLM-L6-v2) or lab-lm (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--tiny", description = "300 emails, tiny SAEs, a few steps: a smoke test of every step")
    boolean tiny;

    @Option(names = "--steps", description = "optimizer steps per SAE (default: the grid's)")
    Integer steps;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--work", description = "activations, SAEs and finished cells "
            + "(default reproductions/sae-probing/MODEL-WEIGHTS in the Scalpel home, $SCALPEL_HOME or ~/.cache/scalpel)")
    Path work;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        MosaicConfig config = switch (model) {
            case "minilm" -> MosaicConfig.miniLm();
            case "lab-lm" -> MosaicConfig.labLm();
            default -> throw new IllegalArgumentException("--model must be minilm or lab-lm, not '" + model + "'");
        };
        if (tiny) {
            config = config.tiny();
        }
        if (steps != null) {
            config = new MosaicConfig(config.hookPattern(), config.layers(), config.architectures(), config.widths(),
                    config.k(), config.l1(), steps, config.batchSize(), config.learningRate(), config.deadTokens(),
                    config.contextSize(), config.threshold(), config.topN(), config.spliceTexts(), config.maxTexts(),
                    config.seed());
        }
        String name = model + (tiny ? "-tiny" : "");
        Path outDir = output.folder(Path.of("docs", "reproductions", "sae-probing", name));
        SpamAssassin corpus = SpamAssassin.load();
        console.printf("SpamAssassin: %,d emails %s (%d malformed)%n", corpus.texts().size(), corpus.labelCounts(),
                corpus.malformed());
        MosaicResults results;
        String fingerprint;
        try (LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(model))) {
            fingerprint = WeightFingerprint.of(loaded.model());
            // Keyed by the weights: a rebuilt lab model must not reuse its predecessor's activations, SAEs and cells.
            Path workDir = work != null ? work
                    : ScalpelHome.fromEnvironment().reproductions("sae-probing")
                            .resolve(name + "-" + WeightFingerprint.shorten(fingerprint));
            TokenSource tokens = TokenSource.of(loaded, true);
            MosaicReproduction run = new MosaicReproduction(config, listener(console));
            results = run.run(loaded.model(), tokens, model, corpus.texts(), workDir);
        }
        String claims = MosaicClaims.markdown(results);
        console.println(claims);
        AtomicFiles.writeString(outDir.resolve("claims.md"), claims);
        ReportFolder.writeChart(outDir.resolve("chart.svg"), MosaicReport.headlineChart(results));
        output.emit(console, MosaicReport.of(results), MosaicReport.results(results, fingerprint), outDir);
        return 0;
    }

    static MosaicReproduction.Listener listener(PrintWriter console) {
        HarvestProgressBar bar = new HarvestProgressBar(console);
        return new MosaicReproduction.Listener() {
            @Override
            public void log(String line) {
                console.println(line);
            }

            @Override
            public HarvestProgress harvest() {
                return bar;
            }

            @Override
            public SaeTrainingListener training() {
                return m -> console.printf(Locale.ROOT, "  step %d  L0 %.1f  FVU %.4f  dead %.1f%%%n", m.step(), m.l0(),
                        m.fvu(), 100 * m.deadFraction());
            }
        };
    }
}
