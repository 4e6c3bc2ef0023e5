package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against confusion matrices and scores worked out by hand. */
class ClassificationMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void threeClassReport() {
        int[] truth = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] pred = {0, 0, 1, 2, 1, 1, 0, 2, 2, 2};
        ClassificationMetrics m = ClassificationMetrics.of(truth, pred, List.of("a", "b", "c"));
        assertArrayEquals(new int[][] {{2, 1, 1}, {1, 2, 0}, {0, 0, 3}}, m.confusion());
        assertEquals(0.7, m.accuracy(), EPS);
        // a: P 2/3, R 2/4, F1 4/7; b: P 2/3, R 2/3, F1 2/3; c: P 3/4, R 1, F1 6/7
        assertReport("a", 2.0 / 3, 0.5, 4.0 / 7, 4, m.perClass().get(0));
        assertReport("b", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3, m.perClass().get(1));
        assertReport("c", 0.75, 1.0, 6.0 / 7, 3, m.perClass().get(2));
        assertEquals(44.0 / 63, m.macroF1(), EPS);
        assertEquals(44.0 / 63, ClassificationMetrics.macroF1(truth, pred, 3), EPS);
    }

    @Test
    void aClassNeverPredictedScoresZeroAndAnAbsentClassIsNotAveraged() {
        // Everything called ham: ham P 1/2, R 1, F1 2/3; spam P 0 (nothing predicted), R 0, F1 0.
        ClassificationMetrics allHam = ClassificationMetrics.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 0, 0},
                List.of("ham", "spam"));
        assertEquals(0.5, allHam.accuracy(), EPS);
        assertEquals(1.0 / 3, allHam.macroF1(), EPS);
        assertEquals(0.0, allHam.perClass().get(1).precision(), EPS);
        // Class c occurs in neither truth nor predictions: the macro average is over a and b only.
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1}, new int[] {0, 1}, List.of("a", "b", "c"));
        assertEquals(1.0, m.macroF1(), EPS);
        assertEquals(0, m.perClass().get(2).support());
    }

    @Test
    void accuracyPerGroup() {
        Map<String, ClassificationMetrics.GroupAccuracy> g = ClassificationMetrics.byGroup(new int[] {0, 0, 1, 1, 0},
                new int[] {0, 1, 1, 0, 0}, Arrays.asList("easy", "hard", "spam", "spam", null));
        assertEquals(Map.of("easy", new ClassificationMetrics.GroupAccuracy(1, 1),
                "hard", new ClassificationMetrics.GroupAccuracy(1, 0),
                "spam", new ClassificationMetrics.GroupAccuracy(2, 1)), g);
        assertEquals(0.5, g.get("spam").accuracy(), EPS);
    }

    private static void assertReport(String name, double precision, double recall, double f1, int support,
                                     ClassificationMetrics.ClassReport r) {
        assertEquals(name, r.name());
        assertEquals(precision, r.precision(), EPS, name + " precision");
        assertEquals(recall, r.recall(), EPS, name + " recall");
        assertEquals(f1, r.f1(), EPS, name + " F1");
        assertEquals(support, r.support(), name + " support");
    }
}
