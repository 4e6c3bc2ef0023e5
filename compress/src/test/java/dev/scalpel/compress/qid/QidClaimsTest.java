package dev.scalpel.compress.qid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claims are scored by counting comparisons: a ladder that follows the paper's law passes all, its mirror none. */
class QidClaimsTest {

    private static List<QidLadder.Cell> ladder(QidLaw law) {
        List<QidLadder.Cell> cells = new ArrayList<>();
        double[] sizes = {1e5, 1e6, 1e7};
        double[] tokens = {1e6, 3e6, 1e7, 3e7};
        int[] bits = {2, 3, 4, 8};
        for (int s = 0; s < sizes.length; s++) {
            for (double d : tokens) {
                for (int b : bits) {
                    double qid = law.predict(sizes[s], d, b);
                    cells.add(new QidLadder.Cell("k", "size" + s, "tokens-" + (long) d, sizes[s], d, b, "rtn", 3, 3 + qid,
                            qid, 0));
                }
            }
        }
        return cells;
    }

    @Test
    void aLadderFollowingThePapersLawUpholdsEveryClaim() {
        List<QidClaims.Claim> claims = QidClaims.of(ladder(QidLaw.PAPER));
        // tokens: 3 sizes x 4 widths, 6 pairs of checkpoints each; size: 4 checkpoints x 4 widths, 3 pairs of sizes each;
        // bits: 12 checkpoints, 3 neighboring widths each.
        assertEquals(List.of(72, 48, 36), claims.stream().map(QidClaims.Claim::comparisons).toList());
        for (QidClaims.Claim c : claims) {
            assertEquals(1.0, c.share(), c.name());
        }
        assertEquals(1.0, claims.get(0).rankCorrelation(), 1e-12);
        assertEquals(-1.0, claims.get(1).rankCorrelation(), 1e-12, "QiD falls as size rises: rank correlation -1");
    }

    @Test
    void theMirroredLawUpholdsNone() {
        var mirrored = new QidLaw(QidLaw.PAPER.k(), -QidLaw.PAPER.alpha(), -QidLaw.PAPER.beta(), -QidLaw.PAPER.gamma());
        for (QidClaims.Claim c : QidClaims.of(ladder(mirrored))) {
            assertEquals(0.0, c.share(), c.name());
        }
    }

    @Test
    void spearmanMatchesTheTextbookFormulaAndAveragesTies() {
        // Without ties rho = 1 - 6 sum d^2 / (n (n^2 - 1)): rank differences 0, 1, -1, 0 give 1 - 12 / 60.
        assertEquals(0.8, QidClaims.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 15, 40}), 1e-12);
        // Ties share their mean rank: x ranks 1.5, 1.5, 3 against 1, 2, 3 give 1.5 / sqrt(1.5 * 2).
        assertEquals(1.5 / Math.sqrt(3), QidClaims.spearman(new double[] {1, 1, 2}, new double[] {1, 2, 3}), 1e-12);
    }
}
