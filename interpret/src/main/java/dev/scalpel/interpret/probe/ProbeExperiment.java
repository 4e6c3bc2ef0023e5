package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import dev.scalpel.interpret.data.Classes;
import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.interpret.data.TrainTestSplit;
import dev.scalpel.interpret.data.StratifiedSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One data set, one held-out split and one set of cross-validation folds, shared by every probe run on it, so that the
 * SAE probe and its baselines are compared on exactly the same examples. A run extracts features, chooses C by
 * stratified k-fold cross-validation on the training split, refits on the whole training split and scores the test
 * split: macro-F1, accuracy, per-class report, confusion matrix, and accuracy per group.
 */
public final class ProbeExperiment {
    private final List<LabeledText> data;
    private final List<String> texts;
    private final Classes classes;
    private final TrainTestSplit split;
    private final List<TrainTestSplit> folds;
    private final boolean hasGroups;

    /**
     * @param folds cross-validation folds (the method: 5), drawn from the training split with {@code seed}
     */
    public ProbeExperiment(List<LabeledText> data, TrainTestSplit split, int folds, long seed) {
        this.data = List.copyOf(data);
        this.texts = this.data.stream().map(LabeledText::text).toList();
        this.classes = Classes.ofTexts(this.data).requireTwo("the data");
        this.split = split;
        this.folds = StratifiedSplit.kFold(classes.ids(), split.train(), folds, seed);
        this.hasGroups = this.data.stream().anyMatch(LabeledText::hasGroup);
    }

    /** The method's set-up: a stratified 20% test split and 5 folds, both seeded with {@code seed} (42). */
    public static ProbeExperiment standard(List<LabeledText> data, long seed) {
        Classes c = Classes.ofTexts(data);
        TrainTestSplit split = StratifiedSplit.holdOut(c.ids(), StratifiedSplit.TEST_FRACTION, seed);
        return new ProbeExperiment(data, split, LogisticProbe.FOLDS, seed);
    }

    public Classes classes() {
        return classes;
    }

    public TrainTestSplit split() {
        return split;
    }

    public List<TrainTestSplit> folds() {
        return folds;
    }

    public List<String> texts() {
        return texts;
    }

    public ProbeResult run(String name, FeatureExtractor extractor, LogisticProbe probe) {
        long start = System.nanoTime();
        int[] train = split.train();
        int[] test = split.test();
        FeatureMatrix x = extractor.extract(texts, train);
        if (x.rows() != texts.size()) {
            throw new IllegalStateException(name + ": the extractor gave " + x.rows() + " rows for " + texts.size()
                    + " texts");
        }
        int[] y = classes.ids();
        LogisticProbe.Selection selection = probe.select(x, y, classes.count(), folds);
        LogisticProbe.Fitted fitted = probe.fit(x, y, classes.count(), train, selection.bestC());
        int[] predicted = fitted.predict(x, test);
        int[] truth = new int[test.length];
        List<String> groups = new ArrayList<>(test.length);
        for (int i = 0; i < test.length; i++) {
            truth[i] = y[test[i]];
            groups.add(data.get(test[i]).group());
        }
        ClassificationMetrics metrics = ClassificationMetrics.of(truth, predicted, classes.names());
        Map<String, ClassificationMetrics.GroupAccuracy> byGroup = hasGroups
                ? ClassificationMetrics.byGroup(truth, predicted, groups) : new TreeMap<>();
        int best = selection.bestIndex();
        return new ProbeResult(name, x.columns(), (double) x.nonZeros() / x.rows(), selection.bestC(), selection.grid(),
                selection.foldScores(), selection.mean(best), selection.std(best), metrics, byGroup,
                (System.nanoTime() - start) / 1e9);
    }
}
