package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.eval.MeanInterval;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.core.report.Series;
import dev.scalpel.interpret.mathneuro.Identification;
import dev.scalpel.interpret.mathneuro.MathNeuroClaims;
import dev.scalpel.interpret.mathneuro.MathNeuroSweep;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.build.LmEvaluator;
import dev.scalpel.lab.corpus.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel reproduce mathneuro}: MathNeuro on lab-lm. Target: the lab's arithmetic problems with their
 * solutions; general: its prose and facts. On the validation split: pruning over the paper's K sweep for MathNeuro,
 * Wanda-style, random and LAPE sets, and scaling over a factor sweep; the sample-count claim from the sets alone; then
 * the best scaling setting (chosen on validation) scored once on the test split.
 */
@Command(name = "mathneuro", description = {
    "MathNeuro on lab-lm: target = arithmetic problems with solutions, general = prose and facts. Pruning over",
    "K = 0.01%% .. 15%% (MathNeuro, Wanda-style, random, LAPE), scaling over factors, N = 1..500 samples, 5 repeats,",
    "on the validation split; the chosen scaling scored once on test. Resumable. Report in docs/reproductions/mathneuro."})
final class ReproduceMathNeuro implements Callable<Integer> {
    private static final MathNeuroClaims.Metric ARITHMETIC = new MathNeuroClaims.Metric("arithmetic", true);
    private static final List<MathNeuroClaims.Metric> GENERAL = List.of(
            new MathNeuroClaims.Metric("prose_perplexity", false), new MathNeuroClaims.Metric("fact_recall", true));

    @Spec
    CommandSpec spec;

    @Option(names = "--tiny", description = "lab-lm-tiny, two K, two repeats, a few samples: a smoke test of every step")
    boolean tiny;

    @Option(names = "--facts", defaultValue = "1000", description = "facts checked per evaluation (default ${DEFAULT-VALUE})")
    int facts;

    @Option(names = "--problems", defaultValue = "100", description = "problems per arithmetic level per evaluation "
            + "(default ${DEFAULT-VALUE})")
    int problems;

    @Option(names = "--report", paramLabel = "DIR", description = "default docs/reproductions/mathneuro")
    Path report;

    @Option(names = "--work", description = "finished cells (default reproductions/mathneuro in the Scalpel home)")
    Path work;

    /** lab-lm's metrics on one split at the sizes given, as the sweep's named metrics. */
    record LabEvaluator(LabData data, Split split, int facts, int problems, int sequenceLength)
            implements MathNeuroSweep.Evaluator {
        @Override
        public String id() {
            return String.join("|", "lab-lm-essentials-v2", split.fileName(), Integer.toString(facts),
                    Integer.toString(problems), Integer.toString(sequenceLength), data.hash());
        }

        @Override
        public Map<String, Double> evaluate(LoadedModel m) {
            return new LmEvaluator(m.model(), data.tokenizer(), data.special().eosId(), data.special().padId())
                    .essentials(data, split, facts, problems, sequenceLength);
        }
    }

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
        Path model = ModelArgument.resolve(tiny ? "lab-lm-tiny" : "lab-lm");
        List<Double> ks = tiny ? List.of(0.01, 0.1) : List.of(0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15);
        List<Double> factors = tiny ? List.of(1.1) : List.of(1.01, 1.05, 1.1, 1.2);
        List<Double> scalingKs = tiny ? List.of(0.1) : List.of(0.01, 0.05);
        List<Integer> sampleCounts = tiny ? List.of(1, 4) : List.of(1, 10, 100, 500);
        int samples = sampleCounts.getLast();
        int repeats = tiny ? 2 : 5;
        LabSpec labSpec = LabSpec.of("lab-lm", profile);
        List<String> target = NeuroCommand.texts("lab:arithmetic");
        List<String> general = new ArrayList<>(NeuroCommand.texts("lab:prose"));
        general.addAll(NeuroCommand.texts("lab:facts"));
        String fingerprint;
        try (LoadedModel m = LoadedModel.open(model)) {
            fingerprint = WeightFingerprint.of(m.model());
        }
        Path workDir = work != null ? work : ScalpelHome.fromEnvironment().reproductions("mathneuro")
                .resolve((tiny ? "tiny-" : "") + WeightFingerprint.shorten(fingerprint));
        Map<String, Object> results = new LinkedHashMap<>();
        try (LabData data = LabData.prepare(LabHome.fromEnvironment(), profile, LabSpec.SEED)) {
            var validation = new LabEvaluator(data, Split.VALIDATION, tiny ? 20 : facts, tiny ? 5 : problems,
                    labSpec.sequenceLength());
            var sweep = new MathNeuroSweep(model, target, general, validation, workDir.resolve("validation"), line -> {
                console.println(line);
                console.flush();
            });
            List<MathNeuroSweep.Cell> pruningCells = sweep.run(new MathNeuroSweep.Config(ks, samples, repeats,
                    List.of(MathNeuroSweep.Method.MATHNEURO, MathNeuroSweep.Method.WANDA, MathNeuroSweep.Method.RANDOM,
                            MathNeuroSweep.Method.LAPE), List.of(0.0)));
            List<MathNeuroSweep.Cell> scalingCells = sweep.run(new MathNeuroSweep.Config(scalingKs, samples, repeats,
                    List.of(MathNeuroSweep.Method.MATHNEURO), factors));
            var pruning = MathNeuroClaims.pruning(pruningCells, ARITHMETIC, GENERAL);
            var scaling = MathNeuroClaims.scaling(scalingCells, ARITHMETIC, GENERAL);
            // The setting scored on test: the largest validation gain among those that hurt nothing, else the largest.
            MathNeuroClaims.Scaling chosen = scaling.stream().filter(MathNeuroClaims.Scaling::holds)
                    .max(java.util.Comparator.comparingDouble(s -> s.targetGain().mean()))
                    .orElse(scaling.stream().max(java.util.Comparator.comparingDouble(s -> s.targetGain().mean()))
                            .orElseThrow());
            var test = new LabEvaluator(data, Split.TEST, tiny ? 20 : facts, tiny ? 5 : problems, labSpec.sequenceLength());
            List<MathNeuroSweep.Cell> testCells = new MathNeuroSweep(model, target, general, test, workDir.resolve("test"),
                    console::println).run(new MathNeuroSweep.Config(List.of(chosen.proportion()), samples, repeats,
                    List.of(MathNeuroSweep.Method.MATHNEURO), List.of(chosen.factor())));
            var testScaling = MathNeuroClaims.scaling(testCells, ARITHMETIC, GENERAL).getFirst();
            Map<String, Object> sampleClaim = sampleCountClaim(model, target, general, sampleCounts, repeats,
                    tiny ? 0.1 : 0.05);
            results.put("model", Map.of("name", tiny ? "lab-lm-tiny" : "lab-lm", "weights", fingerprint));
            results.put("settings", Map.of("proportions", ks, "samples", samples, "repeats", repeats, "factors", factors,
                    "scaling_proportions", scalingKs, "facts_per_evaluation", validation.facts(),
                    "problems_per_level", validation.problems()));
            results.put("pruning", pruning);
            results.put("scaling_validation", scaling);
            results.put("scaling_test", testScaling);
            results.put("sample_count", sampleClaim);
            results.put("cells", Map.of("validation_pruning", pruningCells, "validation_scaling", scalingCells,
                    "test", testCells));
            Path out = report != null ? report : Path.of("docs", "reproductions", "mathneuro" + (tiny ? "-tiny" : ""));
            AtomicFiles.writeJson(Json.MAPPER.writerWithDefaultPrettyPrinter(), out.resolve("results.json"), results);
            for (String metric : List.of("arithmetic", "prose_perplexity", "fact_recall")) {
                ReportFolder.writeChart(out.resolve("pruning-" + metric.replace('_', '-') + ".svg"),
                        pruningChart(pruningCells, metric));
            }
            String md = MathNeuroReport.markdown(pruningCells, pruning, scaling, chosen, testScaling, sampleClaim, samples,
                    repeats, validation.facts(), validation.problems(), tiny);
            AtomicFiles.writeString(out.resolve("README.md"), md);
            console.println(md);
            console.println("wrote " + out.resolve("README.md"));
        }
        return 0;
    }

    /** How much of the N-sample set fewer samples recover, per repeat, at one K (no evaluation needed). */
    private static Map<String, Object> sampleCountClaim(Path model, List<String> target, List<String> general,
                                                        List<Integer> counts, int repeats, double k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proportion", k);
        Map<String, Object> byCount = new LinkedHashMap<>();
        try (LoadedModel m = LoadedModel.open(model)) {
            List<double[]> recovered = new ArrayList<>();
            counts.forEach(c -> recovered.add(new double[repeats]));
            for (int r = 0; r < repeats; r++) {
                var reference = Identification.of(Identification.Scores.of(m.model(), m.requireTokenizer(), target,
                        general, counts.getLast(), r), k).specific();
                for (int i = 0; i < counts.size(); i++) {
                    var set = Identification.of(Identification.Scores.of(m.model(), m.requireTokenizer(), target, general,
                            counts.get(i), 1000L + r), k).specific();
                    recovered.get(i)[r] = MathNeuroSweep.recovered(set, reference);
                }
            }
            for (int i = 0; i < counts.size(); i++) {
                byCount.put(Integer.toString(counts.get(i)), MeanInterval.of(recovered.get(i)));
            }
        }
        out.put("recovered_share_of_the_reference_set", byCount);
        out.put("reference", "the set from " + counts.getLast() + " samples of another draw");
        return out;
    }

    private static LineChart pruningChart(List<MathNeuroSweep.Cell> cells, String metric) {
        List<Series> series = new ArrayList<>();
        for (String method : List.of("mathneuro", "wanda", "random", "lape")) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            cells.stream().filter(c -> c.method().equals(method)).map(MathNeuroSweep.Cell::proportion).distinct().sorted()
                    .forEach(k -> {
                        x.add(Math.log10(k));
                        y.add(cells.stream().filter(c -> c.method().equals(method) && c.proportion() == k)
                                .mapToDouble(c -> c.metrics().get(metric)).average().orElse(Double.NaN));
                    });
            if (!x.isEmpty()) {
                series.add(new Series(method, x, y));
            }
        }
        return new LineChart(metric.replace('_', ' ') + " after pruning, mean over repeats", "log10 K",
                metric.replace('_', ' '), series, metric.equals("prose_perplexity"));
    }
}
