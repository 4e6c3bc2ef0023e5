package dev.scalpel.interpret.mathneuro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claims on hand-made cells: a collapse with general damage inside random's holds; worse than random does not. */
class MathNeuroClaimsTest {
    private static final MathNeuroClaims.Metric ACCURACY = new MathNeuroClaims.Metric("accuracy", true);
    private static final MathNeuroClaims.Metric PERPLEXITY = new MathNeuroClaims.Metric("perplexity", false);

    private static MathNeuroSweep.Cell cell(String method, double k, int repeat, double factor, double accuracy,
                                            double perplexity) {
        return new MathNeuroSweep.Cell(method + k + repeat + factor, method, k, 10, repeat, factor, 100, 0.01,
                Map.of("accuracy", accuracy, "perplexity", perplexity), 0);
    }

    @Test
    void pruningHoldsOnlyWhereTheTargetCollapsesAndTheRestFaresAsUnderRandomPruning() {
        List<MathNeuroSweep.Cell> cells = new ArrayList<>();
        cells.add(cell("none", 0, 0, 1, 0.9, 100));
        // K 0.01: accuracy collapses, perplexity +10% against random's +9..+13%: holds.
        // K 0.05: accuracy collapses but perplexity +60% against random's +10%: does not.
        double[][] ours = {{0.10, 110, 0.12, 111, 0.08, 109}, {0.05, 160, 0.04, 161, 0.06, 159}};
        double[][] random = {{0.85, 109, 0.86, 113, 0.84, 111}, {0.80, 110, 0.81, 111, 0.79, 109}};
        double[] ks = {0.01, 0.05};
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < 3; r++) {
                cells.add(cell("mathneuro", ks[i], r, 0, ours[i][2 * r], ours[i][2 * r + 1]));
                cells.add(cell("random", ks[i], r, 0, random[i][2 * r], random[i][2 * r + 1]));
            }
        }
        var rows = MathNeuroClaims.pruning(cells, ACCURACY, List.of(PERPLEXITY));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).holds(), rows.get(0).toString());
        assertEquals(0.10, rows.get(0).generalDegradation().get("perplexity").mean(), 1e-12, "+10% perplexity");
        assertTrue(rows.get(1).collapses());
        assertFalse(rows.get(1).generalNoWorseThanRandom());
    }

    @Test
    void aModelThatScoresNothingCannotCollapse() {
        List<MathNeuroSweep.Cell> cells = new ArrayList<>(List.of(cell("none", 0, 0, 1, 0.0, 100)));
        for (int r = 0; r < 2; r++) {
            cells.add(cell("mathneuro", 0.01, r, 0, 0.0, 100));
            cells.add(cell("random", 0.01, r, 0, 0.0, 100));
        }
        assertFalse(MathNeuroClaims.pruning(cells, ACCURACY, List.of(PERPLEXITY)).getFirst().holds());
    }

    @Test
    void scalingHoldsWhenTheGainIsClearOfZeroAndNothingElseIsHurt() {
        List<MathNeuroSweep.Cell> cells = new ArrayList<>();
        cells.add(cell("none", 0, 0, 1, 0.50, 100));
        for (int r = 0; r < 3; r++) {
            cells.add(cell("mathneuro", 0.01, r, 1.1, 0.55 + 0.01 * r, 100 + r - 1));   // +5..7 points, perplexity flat
            cells.add(cell("mathneuro", 0.01, r, 1.5, 0.60 + 0.01 * r, 130 + r));       // gains, but perplexity +30%
        }
        var rows = MathNeuroClaims.scaling(cells, ACCURACY, List.of(PERPLEXITY));
        assertEquals(2, rows.size());
        var mild = rows.stream().filter(s -> s.factor() == 1.1).findFirst().orElseThrow();
        var strong = rows.stream().filter(s -> s.factor() == 1.5).findFirst().orElseThrow();
        assertEquals(0.06, mild.targetGain().mean(), 1e-12);
        assertTrue(mild.holds(), mild.toString());
        assertFalse(strong.holds(), strong.toString());
    }
}
