package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.interpret.data.LabeledDataset;
import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.interpret.data.StratifiedSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code scalpel probe} found: {@link #results} (results.json: data, config, split and, per probe, the
 * cross-validation grid, test metrics, confusion matrix and per-group accuracy) and {@link #report} (a summary table
 * and bar chart, then per probe its per-class scores, confusion matrix, CV grid and group accuracies).
 */
public final class ProbeReport {
    /** What the run was asked to do. */
    public record Config(String model, String hook, String sae, String pooling, String binarize, String hiddenPooling,
                           int maxTokens, boolean dropSpecialTokens, long seed, boolean balanced, List<Double> cGrid) {
    }

    private final LabeledDataset dataset;
    private final ProbeExperiment experiment;
    private final Config config;
    private final List<ProbeResult> probes;

    public ProbeReport(LabeledDataset dataset, ProbeExperiment experiment, Config config, List<ProbeResult> probes) {
        this.dataset = dataset;
        this.experiment = experiment;
        this.config = config;
        this.probes = List.copyOf(probes);
    }

    public Map<String, Object> results() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", "probe");
        root.put("model", config.model());
        root.put("hook", config.hook());
        root.put("sae", config.sae());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", dataset.source());
        data.put("examples", dataset.texts().size());
        data.put("classes", experiment.classes().names());
        data.put("class_counts", classCounts());
        Map<String, Integer> groups = groupCounts();
        if (!groups.isEmpty()) {
            data.put("group_counts", groups);
        }
        data.put("malformed_messages", dataset.malformed());
        root.put("data", data);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sae_pooling", config.pooling());
        s.put("sae_binarize", config.binarize());
        s.put("hidden_pooling", config.hiddenPooling());
        s.put("max_tokens", config.maxTokens());
        s.put("drop_special_tokens", config.dropSpecialTokens());
        s.put("seed", config.seed());
        s.put("test_fraction", StratifiedSplit.TEST_FRACTION);
        s.put("folds", experiment.folds().size());
        s.put("c_grid", config.cGrid());
        s.put("class_weight", config.balanced() ? "balanced" : "none");
        s.put("tfidf", ordered("ngram_range", List.of(1, 2), "max_features", 20_000, "sublinear_tf", false,
                "class_weight", "balanced"));
        s.put("solver", "LIBLINEAR L2R_LR (primal), L2, unregularized intercept");
        s.put("hidden_state_scaling", "standardized: mean and population std of the rows of each fit");
        root.put("config", s);
        root.put("split", ordered("train", experiment.split().trainSize(), "test", experiment.split().testSize()));
        Map<String, Object> byName = new LinkedHashMap<>();
        for (ProbeResult r : probes) {
            byName.put(r.name(), probeJson(r));
        }
        root.put("probes", byName);
        return root;
    }

    private static Map<String, Object> probeJson(ProbeResult r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("features", r.features());
        p.put("mean_nonzero_features", r.meanNonZeros());
        p.put("chosen_c", r.chosenC());
        Map<String, Object> cv = new LinkedHashMap<>();
        cv.put("macro_f1_mean", r.cvMacroF1Mean());
        cv.put("macro_f1_std", r.cvMacroF1Std());
        Map<String, Object> byC = new LinkedHashMap<>();
        for (int g = 0; g < r.grid().size(); g++) {
            byC.put(formatC(r.grid().get(g)), Arrays.stream(r.foldMacroF1()[g]).boxed().toList());
        }
        cv.put("fold_macro_f1_by_c", byC);
        p.put("cv", cv);
        ClassificationMetrics m = r.test();
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("macro_f1", m.macroF1());
        test.put("accuracy", m.accuracy());
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (ClassificationMetrics.ClassReport c : m.perClass()) {
            perClass.put(c.name(), ordered("precision", c.precision(), "recall", c.recall(), "f1", c.f1(),
                    "support", c.support()));
        }
        test.put("per_class", perClass);
        test.put("confusion", ordered("labels", m.classes(), "rows", "true class", "columns", "predicted class",
                "matrix", m.confusion()));
        p.put("test", test);
        if (!r.testByGroup().isEmpty()) {
            Map<String, Object> groups = new TreeMap<>();
            r.testByGroup().forEach((g, a) -> groups.put(g, ordered("count", a.count(), "correct", a.correct(),
                    "accuracy", a.accuracy())));
            p.put("test_accuracy_by_group", groups);
        }
        p.put("seconds", r.seconds());
        return p;
    }

    public Report report() {
        ReportBuilder h = Report.builder("Probe: " + config.model() + " at " + config.hook() + " on "
                + dataset.source());
        String counts = classCounts().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        h.paragraph(String.format(Locale.ROOT, "%d examples (%s), stratified split: %d train, %d test (seed %d). Logistic "
                        + "regression (LIBLINEAR, L2), C chosen from %s by stratified %d-fold cross-validation on the "
                        + "training split by macro-F1, then refitted and scored once on the test split.",
                dataset.texts().size(), counts, experiment.split().trainSize(), experiment.split().testSize(),
                config.seed(), config.cGrid().stream().map(ProbeReport::formatC).toList(), experiment.folds().size()));
        h.paragraph("Features: " + (config.sae() == null ? "" : "SAE " + config.sae() + ", pooling "
                + config.pooling() + (config.binarize() == null ? "" : ", binarized " + config.binarize()) + "; ")
                + "hidden state pooled by " + config.hiddenPooling() + "; TF-IDF over 1-2 grams (20k terms, balanced "
                + "class weights). At most " + config.maxTokens() + " tokens per text"
                + (config.dropSpecialTokens() ? ", special tokens left out of the pooling." : "."));
        h.section("Summary");
        List<String> groups = new ArrayList<>(groupCounts().keySet());
        List<String> header = new ArrayList<>(List.of("probe", "features", "C", "CV macro-F1", "test macro-F1",
                "test accuracy"));
        groups.forEach(g -> header.add("accuracy: " + g));
        List<List<Cell>> rows = new ArrayList<>();
        for (ProbeResult r : probes) {
            List<Cell> row = new ArrayList<>(List.of(Cell.text(r.name()), Cell.count(r.features()),
                    Cell.text(formatC(r.chosenC())), Cell.meanStd(r.cvMacroF1Mean(), r.cvMacroF1Std(), 3),
                    Cell.decimal(r.test().macroF1(), 3), Cell.decimal(r.test().accuracy(), 3)));
            for (String g : groups) {
                ClassificationMetrics.GroupAccuracy a = r.testByGroup().get(g);
                row.add(Cell.text(a == null ? "-" : f3(a.accuracy()) + " (" + a.correct() + "/" + a.count() + ")"));
            }
            rows.add(row);
        }
        h.table("each probe on the test split", header, rows);
        h.add(BarChart.of("Test macro-F1", probes.stream().map(ProbeResult::name).toList(),
                probes.stream().map(r -> r.test().macroF1()).toList()));
        for (ProbeResult r : probes) {
            h.section(r.name());
            ClassificationMetrics m = r.test();
            List<List<Cell>> perClass = new ArrayList<>();
            for (ClassificationMetrics.ClassReport c : m.perClass()) {
                perClass.add(List.of(Cell.text(c.name()), Cell.decimal(c.precision(), 3), Cell.decimal(c.recall(), 3),
                        Cell.decimal(c.f1(), 3), Cell.count(c.support())));
            }
            h.table(r.name() + ": per class, test split", List.of("class", "precision", "recall", "F1", "support"),
                    perClass);
            List<String> confusionHeader = new ArrayList<>(List.of("true \\ predicted"));
            confusionHeader.addAll(m.classes());
            List<List<Cell>> confusion = new ArrayList<>();
            for (int t = 0; t < m.classes().size(); t++) {
                List<Cell> row = new ArrayList<>(List.of(Cell.text(m.classes().get(t))));
                for (int p = 0; p < m.classes().size(); p++) {
                    row.add(Cell.count(m.confusion()[t][p]));
                }
                confusion.add(row);
            }
            h.table(r.name() + ": confusion matrix, test split", confusionHeader, confusion);
            List<List<Cell>> cv = new ArrayList<>();
            for (int g = 0; g < r.grid().size(); g++) {
                double[] s = r.foldMacroF1()[g];
                cv.add(List.of(Cell.text(formatC(r.grid().get(g)) + (r.grid().get(g) == r.chosenC() ? " (chosen)" : "")),
                        Cell.decimal(Arrays.stream(s).average().orElse(Double.NaN), 3),
                        Cell.text(Arrays.stream(s).mapToObj(ProbeReport::f3).collect(Collectors.joining(", ")))));
            }
            h.table(r.name() + ": cross-validation on the training split", List.of("C", "mean CV macro-F1", "folds"),
                    cv);
            if (!r.testByGroup().isEmpty()) {
                List<List<Cell>> g = new ArrayList<>();
                r.testByGroup().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> g.add(List.of(
                        Cell.text(e.getKey()), Cell.count(e.getValue().count()), Cell.count(e.getValue().correct()),
                        Cell.decimal(e.getValue().accuracy(), 3))));
                h.table(r.name() + ": accuracy by group, test split", List.of("group", "test examples", "correct",
                        "accuracy"), g);
            }
        }
        return h.build();
    }

    private Map<String, Integer> classCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[] c = experiment.classes().counts();
        for (int k = 0; k < c.length; k++) {
            counts.put(experiment.classes().names().get(k), c[k]);
        }
        return counts;
    }

    private Map<String, Integer> groupCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (LabeledText t : dataset.texts()) {
            if (t.hasGroup()) {
                counts.merge(t.group(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** A map that keeps its keys in the order given (key, value, key, value, ...). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A regularization constant as people write it: 10, 1, 1e-1, 1e-4. */
    public static String formatC(double c) {
        return c >= 1 ? String.format(Locale.ROOT, "%.0f", c) : String.format(Locale.ROOT, "%.0e", c).replace("e-0", "e-");
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
