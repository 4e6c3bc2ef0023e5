package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.eval.PairedBootstrap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferClaimsTest {
    private static PairedBootstrap gap(double estimate, double low, double high) {
        return new PairedBootstrap(estimate, low, high, 1000, 0.95);
    }

    @Test
    void eachVerdictFollowsWhereTheIntervalLiesAgainstTheMargin() {
        assertEquals("holds", TransferClaims.verdict(gap(-0.01, -0.025, 0.005), 0.03));
        assertEquals("does not hold", TransferClaims.verdict(gap(-0.10, -0.14, -0.05), 0.03));
        assertTrue(TransferClaims.verdict(gap(-0.03, -0.05, -0.01), 0.03).startsWith("within noise"));
    }

    @Test
    void theClaimsNameAProbeAtTheMajorityClassAsNoTransfer() {
        TransferResults.Row claimed = new TransferResults.Row("SAE, sum, binarized >1.0", true, 0.95, 0.94, 0.41,
                gap(-0.53, -0.56, -0.50), gap(-0.54, -0.57, -0.51));
        TransferResults.Row hidden = new TransferResults.Row("hidden state, mean (standardized)", false, 0.92, 0.91, 0.6,
                gap(-0.31, -0.35, -0.27), gap(-0.32, -0.36, -0.28));
        TransferResults.Block block = new TransferResults.Block("other", "f", "another model", "shared", 0.9, 0,
                List.of(claimed, hidden));
        TransferResults r = new TransferResults("source", TransferConfig.labLm(),
                new MosaicResults.SaeSummary(4, "topk", 2048, 32, 0.1, 0, "NEXT_TOKEN_LOSS", 1, 1.1, 3, 0.95, 10, 50),
                Map.of("examples", 100, "train", 80, "test", 20), 0.41, List.of(block), 1);
        String md = TransferClaims.markdown(r);
        assertTrue(md.contains("transfers: **does not hold** (0.410 transferred against 0.940"), md);
        assertTrue(md.contains("nothing transfers"), md);
        assertTrue(md.contains("the SAE probe -53.0 [-56.0, -50.0], the hidden-state probe (hidden state, mean "
                + "(standardized)) -31.0 [-35.0, -27.0]"), md);
    }
}
