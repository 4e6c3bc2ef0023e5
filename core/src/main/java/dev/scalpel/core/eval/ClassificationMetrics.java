package dev.scalpel.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well predicted classes match the truth, as scikit-learn reports it: the confusion matrix (rows true class,
 * columns predicted), accuracy, and per class precision, recall, F1 and support. Macro-F1 is the unweighted mean of
 * the per-class F1 over the classes that occur in the truth or the predictions (scikit-learn's
 * {@code f1_score(average='macro')}); a class never predicted has precision 0, and F1 0 where precision and recall
 * are both 0 (scikit-learn's zero_division default). Macro-F1 is the method's headline because a spam filter that
 * calls everything ham scores 69% accuracy on SpamAssassin but 0.41 macro-F1.
 *
 * @param classes class names by id
 * @param confusion {@code confusion[t][p]}: examples of true class t predicted as p
 */
public record ClassificationMetrics(List<String> classes, int[][] confusion, double accuracy, double macroF1,
                                    List<ClassReport> perClass) {

    /** One class's line of the report. */
    public record ClassReport(String name, double precision, double recall, double f1, int support) {
    }

    /** Accuracy within one group of examples (e.g. SpamAssassin's hard ham). */
    public record GroupAccuracy(int count, int correct) {
        public double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }
    }

    public ClassificationMetrics {
        classes = List.copyOf(classes);
        perClass = List.copyOf(perClass);
    }

    /**
     * @param truth true class ids
     * @param predicted predicted class ids, same length
     * @param classes all class names, by id
     */
    public static ClassificationMetrics of(int[] truth, int[] predicted, List<String> classes) {
        int k = classes.size();
        int[][] confusion = confusion(truth, predicted, k);
        int correct = 0;
        for (int c = 0; c < k; c++) {
            correct += confusion[c][c];
        }
        List<ClassReport> reports = new ArrayList<>(k);
        double f1Sum = 0;
        int counted = 0;
        for (int c = 0; c < k; c++) {
            int support = 0;
            int predictedAs = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predictedAs += confusion[j][c];
            }
            int tp = confusion[c][c];
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            reports.add(new ClassReport(classes.get(c), precision, recall, f1, support));
            if (support > 0 || predictedAs > 0) {
                f1Sum += f1;
                counted++;
            }
        }
        double accuracy = truth.length == 0 ? Double.NaN : (double) correct / truth.length;
        return new ClassificationMetrics(classes, confusion, accuracy, counted == 0 ? Double.NaN : f1Sum / counted, reports);
    }

    /** Macro-F1 alone (cross-validation scores thousands of folds' worth of these). */
    public static double macroF1(int[] truth, int[] predicted, int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return of(truth, predicted, names).macroF1();
    }

    /** Rows true class, columns predicted class. */
    public static int[][] confusion(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int[][] m = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("class id out of range [0, " + classes + ") at " + i + ": true "
                        + truth[i] + ", predicted " + predicted[i]);
            }
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * Accuracy per group, by group name; examples whose group is null are left out.
     *
     * @param groups one group per example, parallel to {@code truth}
     */
    public static Map<String, GroupAccuracy> byGroup(int[] truth, int[] predicted, List<String> groups) {
        if (groups.size() != truth.length || predicted.length != truth.length) {
            throw new IllegalArgumentException("groups, truth and predictions differ in length: " + groups.size() + ", "
                    + truth.length + ", " + predicted.length);
        }
        Map<String, int[]> counts = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) {
            String g = groups.get(i);
            if (g == null) {
                continue;
            }
            int[] c = counts.computeIfAbsent(g, x -> new int[2]);
            c[0]++;
            c[1] += truth[i] == predicted[i] ? 1 : 0;
        }
        Map<String, GroupAccuracy> out = new TreeMap<>();
        counts.forEach((g, c) -> out.put(g, new GroupAccuracy(c[0], c[1])));
        return out;
    }
}
