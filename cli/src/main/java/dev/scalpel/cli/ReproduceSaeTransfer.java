package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.edit.pretraining.ContinuedPretrainingConfig;
import dev.scalpel.interpret.data.SpamAssassin;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.mosaic.MosaicTransfer;
import dev.scalpel.interpret.mosaic.TransferClaims;
import dev.scalpel.interpret.mosaic.TransferConfig;
import dev.scalpel.interpret.mosaic.TransferReport;
import dev.scalpel.interpret.mosaic.TransferResults;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalpel reproduce sae-transfer}: MOSAIC's transfer claim between lab-lm and models that read like it. */
@Command(name = "sae-transfer", description = {
    "MOSAIC's transfer claim on the SpamAssassin corpus: probes trained on lab-lm's SAE features (and on its hidden",
    "states) are scored on the features of other models of the same texts: lab-lm after continued pre-training on the",
    "lab's prose (a derived model in the same residual space, as in the paper) and lab-mdlm (the lab's diffusion LM:",
    "same tokenizer and width, another objective), each read as it is and through a learned affine map. Reuses the",
    "`reproduce sae-probing` and `reproduce continued-pretraining` runs it shares. Resumable. claims.md and the report",
    "go to --report (default docs/reproductions/sae-transfer)."})
final class ReproduceSaeTransfer implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tiny", description = "lab-lm-tiny, lab-mdlm-tiny, 300 emails, tiny SAEs, 8 steps of continued "
            + "pre-training: a smoke test (build them with `lab build --tiny` first)")
    boolean tiny;

    @Option(names = "--continued-steps", description = "steps of continued pre-training that make the derived model "
            + "(default 400, as `reproduce continued-pretraining`; 8 with --tiny; 0 leaves it out)")
    Long continuedSteps;

    @Option(names = "--other", description = "another model of the same tokenizer to carry the probes to "
            + "(default lab-mdlm; 'none' leaves it out)")
    String other;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--work", description = "activations, the SAE and finished blocks (default "
            + "reproductions/sae-probing/MODEL-WEIGHTS in the Scalpel home, shared with `reproduce sae-probing`)")
    Path work;

    @Option(names = "--continued-work", description = "the continued pre-training's run folders (default "
            + "reproductions/continued-pretraining in the Scalpel home, shared with `reproduce continued-pretraining`)")
    Path continuedWork;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        String sourceName = tiny ? "lab-lm-tiny" : "lab-lm";
        String otherName = other != null ? other : tiny ? "lab-mdlm-tiny" : "lab-mdlm";
        TransferConfig config = tiny ? TransferConfig.labLmTiny() : TransferConfig.labLm();
        long steps = continuedSteps != null ? continuedSteps : tiny ? 8 : 400;
        if (steps < 0) {
            throw new ScalpelException("--continued-steps must be 0 or more, got " + steps);
        }
        Path sourceFolder = ModelArgument.resolve(sourceName);
        SpamAssassin corpus = SpamAssassin.load();
        console.printf("SpamAssassin: %,d emails %s (%d malformed)%n", corpus.texts().size(), corpus.labelCounts(),
                corpus.malformed());

        List<AutoCloseable> open = new ArrayList<>();
        TransferResults results;
        String fingerprint;
        try (LoadedModel source = LoadedModel.open(sourceFolder)) {
            fingerprint = WeightFingerprint.of(source.model());
            TokenSource tokens = TokenSource.of(source, true);
            List<MosaicTransfer.Target> targets = new ArrayList<>();
            if (steps > 0) {
                // The derived model: the reproduction's first run (the lab's weight decay, seed 0), made or reused.
                LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
                int length = tiny ? 64 : 256;
                ContinuedPretrainingConfig training = new ContinuedPretrainingConfig(steps, 16, length, 3e-4,
                        steps / 10, 0.1, tiny ? 1 : 4, 0);
                Path runs = (continuedWork != null ? continuedWork
                        : ScalpelHome.fromEnvironment().reproductions("continued-pretraining"))
                        .resolve(tiny ? "runs-tiny" : "runs").resolve("decay-0.1").resolve("seed-0");
                console.printf(Locale.ROOT, "the derived model: %s after %,d steps of continued pre-training%n",
                        sourceName, steps);
                Path[] checkpoint = new Path[1];
                ReproduceContinuedPretraining.run(sourceFolder, LabCorpus.build(LabSpec.SEED, profile.corpus()),
                        training, runs, console, p -> checkpoint[0] = p);
                if (checkpoint[0] == null) {
                    throw new ScalpelException(runs + ": the continued pre-training left no checkpoint");
                }
                TransformerModel derived = Models.load(checkpoint[0]);
                open.add(derived);
                targets.add(new MosaicTransfer.Target(sourceName + "-continued", derived, tokens, String.format(
                        Locale.ROOT, "%s after %,d steps of continued pre-training on the lab's prose (%d x %d tokens "
                                + "a step, peak learning rate 3e-4, weight decay 0.1, seed 0): a derived model", sourceName,
                        steps, training.batchSize(), training.sequenceLength())));
            }
            if (!otherName.equals("none")) {
                LoadedModel another = LoadedModel.open(ModelArgument.resolve(otherName));
                open.add(another);
                targets.add(new MosaicTransfer.Target(otherName, another.model(), TokenSource.of(another, true),
                        otherName + ", trained apart from " + sourceName + " (another objective, its own "
                                + "initialization) on the same tokenizer"));
            }
            if (targets.isEmpty()) {
                throw new ScalpelException("no target: --continued-steps 0 and --other none leave nothing to transfer to");
            }
            Path workDir = work != null ? work : ScalpelHome.fromEnvironment().reproductions("sae-probing")
                    .resolve((tiny ? "lab-lm-tiny" : "lab-lm") + "-" + WeightFingerprint.shorten(fingerprint));
            results = new MosaicTransfer(config, ReproduceSaeProbing.listener(console)).run(source.model(), tokens,
                    sourceName, targets, corpus.texts(), workDir);
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    console.println("closing a target: " + e.getMessage());
                }
            }
        }
        String claims = TransferClaims.markdown(results);
        console.println(claims);
        Path outDir = output.folder(Path.of("docs", "reproductions", "sae-transfer" + (tiny ? "-tiny" : "")));
        AtomicFiles.writeString(outDir.resolve("claims.md"), claims);
        ReportFolder.writeChart(outDir.resolve("chart.svg"), TransferReport.chart(results));
        output.emit(console, TransferReport.of(results), TransferReport.results(results, fingerprint), outDir);
        return 0;
    }
}
