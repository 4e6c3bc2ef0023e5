package dev.scalpel.cli;

import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.report.SvgChart;
import dev.scalpel.interpret.data.SpamAssassin;
import dev.scalpel.interpret.harvest.HarvestProgress;
import dev.scalpel.interpret.harvest.HarvestProgressBar;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.mosaic.MosaicClaims;
import dev.scalpel.interpret.mosaic.MosaicConfig;
import dev.scalpel.interpret.mosaic.MosaicReproduction;
import dev.scalpel.interpret.mosaic.MosaicResults;
import dev.scalpel.interpret.sae.train.SaeTrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalpel reproduce sae-probing}: the MOSAIC grid on the SpamAssassin corpus, with its report and claims. */
@Command(name = "sae-probing", description = {
    "MOSAIC on the bundled SpamAssassin corpus (6,046 real emails): harvest a middle and a late layer, train TopK and",
    "ReLU + L1 SAEs of two widths on the training split's tokens, probe every pooling with and without binarisation",
    "against hidden-state and TF-IDF baselines on the same split and folds, and check the paper's claim. Resumable."})
final class ReproduceSaeProbing implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "minilm", description = "minilm (all-MiniLM-L6-v2) or lab-lm (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--tiny", description = "300 emails, tiny SAEs, a few steps: a smoke test of every step")
    boolean tiny;

    @Option(names = "--steps", description = "optimiser steps per SAE (default: the grid's)")
    Integer steps;

    @Option(names = "--out", description = "where report.html, results.json and claims.md go "
            + "(default docs/reproductions/sae-probing/MODEL)")
    Path out;

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
        Path outDir = out != null ? out : Path.of("docs", "reproductions", "sae-probing", name);
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
        write(outDir, results, fingerprint);
        String claims = MosaicClaims.markdown(results);
        AtomicFiles.writeString(outDir.resolve("claims.md"), claims);
        console.println(claims);
        console.println("report: " + outDir.resolve("report.html"));
        return 0;
    }

    private static MosaicReproduction.Listener listener(PrintWriter console) {
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

    /** report.html (tables and charts) and results.json. */
    static void write(Path dir, MosaicResults r, String modelFingerprint) throws IOException {
        HtmlReport report = new HtmlReport("MOSAIC: SAE features for spam classification (" + r.model() + ")");
        report.paragraph(String.format(Locale.ROOT, "SpamAssassin public corpus, %s emails (%s train / %s test, "
                        + "stratified, seed %d; C chosen by stratified %s-fold CV on the training split over 1e-4..10). "
                        + "Model %s, hooks %s at layers %s; SAEs trained here on the training split's tokens (%d steps "
                        + "of %d rows).", r.data().get("examples"), r.data().get("train"), r.data().get("test"),
                r.config().seed(), r.data().get("folds"), r.model(), r.config().hookPattern(), r.config().layers(),
                r.config().steps(), r.config().batchSize()));
        report.section("Claims");
        report.code(MosaicClaims.markdown(r));

        report.section("The SAEs");
        List<List<String>> saeRows = new ArrayList<>();
        for (var s : r.saes()) {
            saeRows.add(HtmlReport.row(s.layer(), s.architecture(), s.width(), f1(s.l0()), f3(s.fvu()),
                    f1(100 * s.deadFraction()) + "%", s.spliceMeasure().toLowerCase(Locale.ROOT), f3(s.clean()),
                    f3(s.spliced()), f3(s.zeroAblated()), f1(100 * s.recovered()) + "%", f1(s.trainSeconds())));
        }
        report.table(List.of("layer", "SAE", "width", "L0", "FVU", "dead", "splice measure", "clean", "spliced",
                "zeros", "recovered", "train s"), saeRows);

        List<MosaicResults.Cell> sorted = new ArrayList<>(r.cells());
        sorted.sort(Comparator.comparingDouble(MosaicResults.Cell::testMacroF1).reversed());
        report.section("Binarised summation against the baselines");
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (var c : sorted) {
            if (MosaicClaims.binarisedSum(c) || !"sae".equals(c.probe())) {
                labels.add(c.probe() + ": " + MosaicClaims.describe(c));
                values.add(c.testMacroF1());
            }
        }
        report.bars("test macro-F1, binarised summed SAE features and the baselines", labels, values);

        report.section("Pooling and binarisation, averaged over layers, SAEs and widths");
        Map<String, double[]> byPooling = new LinkedHashMap<>();
        for (var c : r.cells()) {
            if ("sae".equals(c.probe())) {
                String key = c.pooling() + (c.binarise() == null ? "" : ", binarised " + c.binarise());
                double[] acc = byPooling.computeIfAbsent(key, k -> new double[2]);
                acc[0] += c.testMacroF1();
                acc[1]++;
            }
        }
        report.bars("mean test macro-F1 by pooling", new ArrayList<>(byPooling.keySet()),
                byPooling.values().stream().map(a -> a[0] / a[1]).toList());

        report.section("Every probe");
        List<List<String>> rows = new ArrayList<>();
        for (var c : sorted) {
            rows.add(HtmlReport.row(c.probe(), MosaicClaims.describe(c), f3(c.testMacroF1()), f3(c.testAccuracy()),
                    f3(c.cvMean()) + " ± " + f3(c.cvStd()), f3(c.hardHamAccuracy()), String.format(Locale.ROOT, "%.0e",
                            c.chosenC()), f1(c.meanNonZeros()), f1(c.seconds())));
        }
        report.table(List.of("probe", "configuration", "test macro-F1", "test accuracy", "CV macro-F1", "hard-ham acc",
                "C", "mean non-zeros", "s"), rows);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", r.model());
        // Which weights: a lab model's name alone does not say which build of it was probed.
        json.put("model_fingerprint", modelFingerprint);
        json.put("config", r.config());
        json.put("data", r.data());
        json.put("saes", r.saes());
        json.put("cells", r.cells());
        json.put("seconds_this_process", r.seconds());
        // What the results cost, however many resumed processes made them: SAE training plus every probe.
        json.put("seconds_training_and_probes", r.saes().stream().mapToDouble(MosaicResults.SaeSummary::trainSeconds).sum()
                + r.cells().stream().mapToDouble(MosaicResults.Cell::seconds).sum());
        report.write(dir, json);
        AtomicFiles.writeString(dir.resolve("chart.svg"), SvgChart.bars("test macro-F1: binarised summed SAE features and "
                + "baselines (" + r.model() + ")", labels, values));
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
