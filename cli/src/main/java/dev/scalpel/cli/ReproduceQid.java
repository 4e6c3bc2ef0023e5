package dev.scalpel.cli;

import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.qid.QidClaims;
import dev.scalpel.compress.qid.QidLadder;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabLadder;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel reproduce qid}: the QiD paper's ladder on the lab. Trains the ladder's sizes with checkpoints along
 * one schedule each (Pythia's design), quantizes every kept checkpoint at 2, 3, 4 and 8 bits with RTN and GPTQ, measures
 * QiD on the lab's held-out prose, fits the law both ways with bootstrap intervals, and checks the paper's claims.
 */
@Command(name = "qid", description = {
    "The QiD ladder on the lab: train 3 model sizes with checkpoints spanning 30x in training tokens (hparams/qid-ladder),",
    "quantize every checkpoint at 2/3/4/8 bits with RTN and GPTQ, measure QiD on held-out prose, fit",
    "QiD = k D^beta / (N^alpha P^gamma) with bootstrap intervals and check the paper's claims. Resumable (training",
    "and every cell). The report and charts go to --report (default docs/reproductions/qid)."})
final class ReproduceQid implements Callable<Integer> {
    private static final List<Integer> BITS = List.of(2, 3, 4, 8);

    @Spec
    CommandSpec spec;

    @Option(names = "--tiny", description = "two tiny sizes, a few steps, 3 checkpoints: a smoke test of every step")
    boolean tiny;

    @Option(names = "--group-size", defaultValue = "64", description = "inputs per quantization group (default "
            + "${DEFAULT-VALUE}: the smallest size's hidden width)")
    int groupSize;

    @Option(names = "--calibration-windows", defaultValue = "32", description = "GPTQ calibration windows (default ${DEFAULT-VALUE})")
    int calibrationWindows;

    @Option(names = "--held-out-tokens", defaultValue = "65536", description = "held-out prose tokens QiD is measured "
            + "on (default ${DEFAULT-VALUE})")
    int heldOutTokens;

    @Option(names = "--resamples", defaultValue = "1000", description = "bootstrap resamples (default ${DEFAULT-VALUE})")
    int resamples;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--work", description = "training runs and finished cells (default reproductions/qid in the "
            + "Scalpel home)")
    Path work;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
        LabLadder.Spec ladder = LabLadder.Spec.of(profile);
        Path workDir = work != null ? work : ScalpelHome.fromEnvironment().reproductions("qid").resolve(tiny ? "tiny" : "default");
        LabHome home = LabHome.fromEnvironment();
        List<LabLadder.TrainedSize> sizes = new LabLadder(ladder, home, workDir.resolve("training"), false, line -> {
            console.println(line);
            console.flush();
        }).train();
        List<QidLadder.Checkpoint> checkpoints = new ArrayList<>();
        for (LabLadder.TrainedSize size : sizes) {
            for (int i = 0; i < size.checkpoints().size(); i++) {
                checkpoints.add(new QidLadder.Checkpoint(size.name(), size.checkpoints().get(i),
                        ladder.checkpointTokens().get(i)));
            }
        }
        int window = ladder.sequenceLength();
        var config = new QidLadder.Config(BITS, List.of(ModelQuantizer.Method.RTN, ModelQuantizer.Method.GPTQ), groupSize,
                calibrationWindows, window);
        int[] calibration;
        int[] heldOut;
        try (LabData data = LabData.prepare(home, profile, LabSpec.SEED)) {
            var prose = QidCommand.ProseTokens.of(data.tokenizer(), data.corpus(), config, tiny ? 4 * window : heldOutTokens);
            calibration = prose.calibration();
            heldOut = prose.heldOut();
        }
        List<QidLadder.Cell> cells = new QidLadder(config, calibration, heldOut, workDir.resolve("cells"), line -> {
            console.println(line);
            console.flush();
        }).run(checkpoints);

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("ladder", ladder);
        results.put("sizes", sizes.stream().map(s -> Map.of("name", s.name(), "parameters", s.parameters(),
                "non_embedding_parameters", cells.stream().filter(c -> c.model().equals(s.name())).findFirst()
                        .map(QidLadder.Cell::parameters).orElse(Double.NaN))).toList());
        results.put("quantization", Map.of("bits", BITS, "methods", List.of("rtn", "gptq"), "group_size", groupSize,
                "calibration_windows", calibrationWindows, "window", window, "held_out_tokens", heldOut.length));
        results.put("cells", cells);
        Map<String, Object> fits = QidCommand.fitsByMethod(QidCommand.byMethod(cells), resamples, console);
        results.put("fits", fits);
        Map<String, List<QidClaims.Claim>> claims = new LinkedHashMap<>();
        claims.put("all", QidClaims.of(cells));
        for (String method : List.of("rtn", "gptq")) {
            claims.put(method, QidClaims.of(cells.stream().filter(c -> c.method().equals(method)).toList()));
        }
        results.put("claims", claims);
        claims.get("all").forEach(c -> console.printf(Locale.ROOT, "%s: %d of %d comparisons (%.0f%%), mean rank "
                + "correlation %.2f%n", c.statement(), c.holds(), c.comparisons(), 100 * c.share(), c.rankCorrelation()));
        Path outDir = output.folder(Path.of("docs", "reproductions", "qid" + (tiny ? "-tiny" : "")));
        for (int bits : BITS) {
            ReportFolder.writeChart(outDir.resolve("qid-" + bits + "bit.svg"), QidReproductionReport.chart(cells, bits));
        }
        AtomicFiles.writeString(outDir.resolve("README.md"),
                QidReproductionReport.markdown(ladder, sizes, cells, fits, claims, BITS, heldOut.length, groupSize,
                        calibrationWindows));
        output.emit(console, QidReproductionReport.report(cells, claims, fits), results, outDir);
        return 0;
    }
}
