package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every verdict branch of MosaicClaims, on hand-made cells whose gaps are known. */
class MosaicClaimsTest {

    private static MosaicResults.Cell cell(String probe, String pooling, String binarize, double cv, double test) {
        return new MosaicResults.Cell(probe + pooling + binarize + cv, probe, "tfidf".equals(probe) ? null : 2,
                "sae".equals(probe) ? "topk" : null, "sae".equals(probe) ? 1024 : null, pooling, binarize, cv, 0.01, test,
                test, 0.8, 1.0, 10, 1, null);
    }

    /** A cell with its fold scores: one row per value of C. */
    private static MosaicResults.Cell withFolds(String probe, String key, double test, double[]... folds) {
        return new MosaicResults.Cell(key, probe, 2, null, null, "sum", "sae".equals(probe) ? ">1.0" : null,
                java.util.Arrays.stream(folds[0]).average().orElseThrow(), 0.01, test, test, 0.8, 1.0, 10, 1,
                MosaicResults.Cell.folds(folds));
    }

    private static String claims(List<MosaicResults.Cell> cells) {
        return MosaicClaims.markdown(new MosaicResults("lab-lm", MosaicConfig.labLm(),
                Map.of("examples", 100, "train", 80, "test", 20, "folds", 5), List.of(), cells, 1));
    }

    private static String line(String claims, String number) {
        return claims.lines().filter(l -> l.startsWith(number + ". ")).findFirst().orElseThrow(() -> new AssertionError(claims));
    }

    @Test
    void theVerdictNeedsTheTestSplitAndTheFoldsToAgree() {
        assertEquals("holds", MosaicClaims.verdict(true, true));
        assertEquals("does not hold", MosaicClaims.verdict(false, false));
        assertTrue(MosaicClaims.verdict(true, false).startsWith("holds on the test split only"));
        assertTrue(MosaicClaims.verdict(false, true).startsWith("holds in CV only"));
    }

    @Test
    void eachClaimIsJudgedOnTheCellsChosenByCrossValidation() {
        // Binarized sum 2 points under the hidden state on test and CV: within the 3 points; TF-IDF beaten on test only.
        var binarized = cell("sae", "sum", ">1.0", 0.90, 0.91);
        var unbinarized = cell("sae", "max", null, 0.93, 0.92);
        var hidden = cell("hidden_state", "mean", null, 0.92, 0.93);
        var tfidf = cell("tfidf", null, null, 0.91, 0.90);
        // A cell better on test but worse in CV must not be the one chosen.
        var flattering = cell("sae", "sum", ">0.0", 0.80, 0.99);
        String claims = claims(List.of(binarized, unbinarized, hidden, tfidf, flattering));
        assertTrue(line(claims, "1").contains("**holds**") && line(claims, "1").contains("-2.0 points"), line(claims, "1"));
        assertTrue(line(claims, "2").contains("**holds on the test split only"), line(claims, "2"));
        assertTrue(line(claims, "3").contains("SAE 0.800"), line(claims, "3"));
        // Binarizing loses to the best unbinarized cell on both: reported as found.
        assertTrue(line(claims, "4").contains("**does not hold**"), line(claims, "4"));
        assertTrue(claims.contains("binarized summation 0.990"), "the test-chosen line shows what choosing on test gives");

        String worse = claims(List.of(cell("sae", "sum", ">1.0", 0.80, 0.80), unbinarized, hidden, tfidf));
        assertTrue(line(worse, "1").contains("**does not hold**"), line(worse, "1"));
        assertTrue(line(worse, "2").contains("**does not hold**"), line(worse, "2"));
        String better = claims(List.of(cell("sae", "sum", ">1.0", 0.95, 0.96), unbinarized, hidden, tfidf));
        assertTrue(line(better, "4").contains("**holds**"), line(better, "4"));
        assertTrue(line(better, "2").contains("**holds**"), line(better, "2"));
    }

    /**
     * Selection inside the folds, against a hand reading: with two folds, each fold is scored by the configuration that
     * was best on the other. Two noisy SAE cells, each lucky on one fold, have a best CV mean above their real level;
     * selected inside the folds they score what they are.
     */
    @Test
    void selectionInsideTheFoldsDoesNotRewardTheLargerGrid() {
        var a = withFolds("sae", "a", 0.8, new double[] {0.9, 0.7});
        var b = withFolds("sae", "b", 0.8, new double[] {0.7, 0.95});
        // Fold 0: b is best elsewhere (0.95 on fold 1), scores 0.7; fold 1: a is best elsewhere (0.9), scores 0.7.
        assertEquals(0.7, MosaicClaims.selectedCv(List.of(a, b), c -> "sae".equals(c.probe())).orElseThrow(), 1e-12);
        var hidden = withFolds("hidden_state", "h", 0.8, new double[] {0.8, 0.8});
        assertEquals(0.8, MosaicClaims.selectedCv(List.of(a, b, hidden), c -> "hidden_state".equals(c.probe()))
                .orElseThrow(), 1e-12);
        // The chosen cell's CV mean says SAE 0.825 vs hidden 0.800; selected inside the folds it is 0.700 vs 0.800.
        String claims = claims(List.of(a, b, hidden, withFolds("tfidf", "t", 0.5, new double[] {0.5, 0.5})));
        assertTrue(line(claims, "1").contains("CV with selection inside the folds -10.0 points"), line(claims, "1"));
        assertTrue(claims.contains("any SAE 2 configurations, 0.700"), claims);
        // Without fold scores (older results) the claims say what they compare instead.
        assertTrue(MosaicClaims.selectedCv(List.of(cell("sae", "sum", ">1.0", 0.9, 0.9)), c -> true).isEmpty());
        assertTrue(claims(List.of(cell("sae", "sum", ">1.0", 0.9, 0.9), cell("hidden_state", "mean", null, 0.9, 0.9)))
                .contains("favoring the larger grid"));
    }
}
