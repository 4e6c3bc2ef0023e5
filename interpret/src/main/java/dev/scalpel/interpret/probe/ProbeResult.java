package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import java.util.List;
import java.util.Map;

/**
 * One probe's outcome on one split.
 *
 * @param name what the features were (e.g. {@code sae}, {@code hidden_state}, {@code tfidf})
 * @param features the number of feature columns
 * @param meanNonZeros average stored (non-zero) features per text
 * @param chosenC the C that cross-validation chose
 * @param grid the C values tried
 * @param foldMacroF1 macro-F1 per grid value and fold
 * @param cvMacroF1Mean mean fold macro-F1 at the chosen C
 * @param cvMacroF1Std population standard deviation of the fold macro-F1 at the chosen C
 * @param test metrics of the probe refitted on the whole training split with the chosen C, on the test split
 * @param testByGroup test accuracy per group, empty when the data have no groups
 * @param seconds wall time of extraction, selection and evaluation
 */
public record ProbeResult(String name, int features, double meanNonZeros, double chosenC, List<Double> grid,
                          double[][] foldMacroF1, double cvMacroF1Mean, double cvMacroF1Std,
                          ClassificationMetrics test, Map<String, ClassificationMetrics.GroupAccuracy> testByGroup,
                          double seconds) {
    public ProbeResult {
        grid = List.copyOf(grid);
        testByGroup = Map.copyOf(testByGroup);
    }
}
