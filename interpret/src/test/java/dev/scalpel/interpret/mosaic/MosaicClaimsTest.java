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
                test, 0.8, 1.0, 10, 1);
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
}
