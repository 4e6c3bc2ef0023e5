package dev.scalpel.cli;

import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.qid.QidClaims;
import dev.scalpel.compress.qid.QidLadder;
import dev.scalpel.compress.qid.QidLaw;
import dev.scalpel.compress.qid.QidObservation;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.core.report.Series;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabLadder;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.prose.Passage;
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
        int[] calibration;
        int[] heldOut;
        try (LabData data = LabData.prepare(home, profile, LabSpec.SEED)) {
            List<String> train = data.corpus().prose().passages().train().stream().map(Passage::text).toList();
            List<String> test = data.corpus().prose().passages().test().stream().map(Passage::text).toList();
            calibration = TokenStream.of(data.tokenizer(), train, 4L * calibrationWindows * window);
            heldOut = TokenStream.of(data.tokenizer(), test, tiny ? 4 * window : heldOutTokens);
        }
        var config = new QidLadder.Config(BITS, List.of(ModelQuantizer.Method.RTN, ModelQuantizer.Method.GPTQ), groupSize,
                calibrationWindows, window);
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
        List<QidObservation> observations = cells.stream().map(QidLadder.Cell::observation).toList();
        Map<String, Object> fits = null;
        try {
            fits = QidCommand.fits(observations, resamples, console);
            results.put("fits", fits);
        } catch (ScalpelException e) {
            console.println("no fit: " + e.getMessage());
        }
        List<QidClaims.Claim> claims = QidClaims.of(cells);
        results.put("claims", claims);
        claims.forEach(c -> console.printf(Locale.ROOT, "%s: %d of %d comparisons (%.0f%%), mean rank correlation %.2f%n",
                c.statement(), c.holds(), c.comparisons(), 100 * c.share(), c.rankCorrelation()));
        Path outDir = output.folder(Path.of("docs", "reproductions", "qid" + (tiny ? "-tiny" : "")));
        for (int bits : BITS) {
            ReportFolder.writeChart(outDir.resolve("qid-" + bits + "bit.svg"), chart(cells, bits));
        }
        output.emit(console, report(cells, claims, fits), results, outDir);
        return 0;
    }

    /** QiD against log10 training tokens at one width: one line per size and method. */
    static LineChart chart(List<QidLadder.Cell> cells, int bits) {
        List<Series> series = new ArrayList<>();
        for (String method : List.of("rtn", "gptq")) {
            cells.stream().map(QidLadder.Cell::model).distinct().forEach(model -> {
                List<QidLadder.Cell> line = cells.stream().filter(c -> c.bits() == bits && c.method().equals(method)
                        && c.model().equals(model)).sorted(java.util.Comparator.comparingDouble(QidLadder.Cell::tokens)).toList();
                if (!line.isEmpty()) {
                    series.add(new Series(model + " " + method, line.stream().map(c -> Math.log10(c.tokens())).toList(),
                            line.stream().map(QidLadder.Cell::qid).toList()));
                }
            });
        }
        return new LineChart("QiD at " + bits + " bits against training tokens", "log10 training tokens",
                "QiD (nats per token)", series, bits <= 3);
    }

    @SuppressWarnings("unchecked")
    static Report report(List<QidLadder.Cell> cells, List<QidClaims.Claim> claims, Map<String, Object> fits) {
        ReportBuilder b = Report.builder("QiD scaling on the lab ladder");
        b.section("Claims");
        List<List<Cell>> rows = new ArrayList<>();
        for (QidClaims.Claim c : claims) {
            rows.add(List.of(Cell.text(c.statement()), Cell.count(c.holds()), Cell.count(c.comparisons()),
                    Cell.percent(c.share(), 0), Cell.decimal(c.rankCorrelation(), 2)));
        }
        b.table("claims", List.of("claim", "holds", "comparisons", "share", "mean Spearman"), rows);
        if (fits != null) {
            b.section("Fitted law");
            List<List<Cell>> fitRows = new ArrayList<>();
            for (var e : fits.entrySet()) {
                Map<String, Object> f = (Map<String, Object>) e.getValue();
                QidLaw law = (QidLaw) f.get("law");
                Map<String, dev.scalpel.compress.qid.QidFit.Interval> iv =
                        (Map<String, dev.scalpel.compress.qid.QidFit.Interval>) f.get("intervals");
                fitRows.add(List.of(Cell.text(e.getKey()), Cell.text(range(law.alpha(), iv.get("alpha"))),
                        Cell.text(range(law.beta(), iv.get("beta"))), Cell.text(range(law.gamma(), iv.get("gamma"))),
                        Cell.text(String.format(Locale.ROOT, "%.4g", law.k())), Cell.decimal((Double) f.get("log_r2"), 3)));
            }
            fitRows.add(List.of(Cell.text("paper (Pythia)"), Cell.decimal(QidLaw.PAPER.alpha(), 4),
                    Cell.decimal(QidLaw.PAPER.beta(), 4), Cell.decimal(QidLaw.PAPER.gamma(), 4), Cell.decimal(QidLaw.PAPER.k(), 4),
                    Cell.text("")));
            b.table("fits", List.of("fit", "alpha", "beta", "gamma", "k", "log R2"), fitRows);
        }
        b.section("Cells");
        List<List<Cell>> cellRows = new ArrayList<>();
        for (QidLadder.Cell c : cells) {
            cellRows.add(List.of(Cell.text(c.model()), Cell.count((long) c.tokens()), Cell.text(c.method()),
                    Cell.count(c.bits()), Cell.decimal(c.fullLoss(), 4), Cell.decimal(c.quantizedLoss(), 4),
                    Cell.decimal(c.qid(), 4)));
        }
        b.table("cells", List.of("size", "tokens", "method", "bits", "full loss", "quantized loss", "QiD"), cellRows);
        return b.build();
    }

    private static String range(double value, dev.scalpel.compress.qid.QidFit.Interval interval) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", value, interval.low(), interval.high());
    }
}
