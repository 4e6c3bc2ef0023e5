package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.eval.PairedBootstrap;
import java.util.Locale;

/**
 * The transfer's claims file: for each target and reading, every kind of feature's scores and whether the probe on
 * binarized summed SAE features (the paper's best setting) transfers, judged from the interval of its shortfall against
 * the target's own probe.
 */
public final class TransferClaims {
    /** The kind the claim is judged on: MOSAIC's best setting. */
    static final String CLAIMED = "SAE, sum, binarized";

    private TransferClaims() {
    }

    /**
     * "holds" when the whole interval of (transferred - target's own) lies above {@code -margin}; "does not hold" when
     * it lies below; otherwise the data cannot tell.
     */
    public static String verdict(PairedBootstrap transferMinusNative, double margin) {
        if (transferMinusNative.above(-margin)) {
            return "holds";
        }
        if (transferMinusNative.below(-margin)) {
            return "does not hold";
        }
        return "within noise of the margin (the interval straddles it)";
    }

    public static String markdown(TransferResults r) {
        StringBuilder md = new StringBuilder();
        TransferConfig c = r.config();
        MosaicResults.SaeSummary sae = r.sae();
        md.append("# MOSAIC transfer from ").append(r.source()).append(": claims checked\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s examples (%s train / %s test), the split of the MOSAIC grid "
                        + "(seed %d). The SAE: layer %d, %s, %d latents, trained on %s's training-split tokens (L0 %.1f, "
                        + "FVU %.3f). Each probe: L2 logistic regression, C by 5-fold CV on the training split; hidden "
                        + "states standardized. \"Own\" is a probe of the same recipe trained on the target's features; "
                        + "\"transferred\" is %s's probe scored on them. Intervals: paired bootstrap over the test texts, "
                        + "%,d resamples, 95%%. Always answering the majority class scores macro-F1 %.3f.%n%n",
                r.data().get("examples"), r.data().get("train"), r.data().get("test"), c.mosaic().seed(), c.layer(),
                c.architecture().saeLensName(), c.width(), r.source(), sae.l0(), sae.fvu(), r.source(), c.resamples(),
                r.majorityMacroF1()));
        md.append(String.format(Locale.ROOT, "The claim (the paper: probes on SAE features transfer across languages "
                + "and from Gemma 2 to models built on it): a probe on binarized summed SAE features scores within %.0f "
                + "points of the target's own probe.%n", 100 * c.margin()));
        int n = 0;
        for (TransferResults.Block b : r.blocks()) {
            md.append("\n## ").append(b.target()).append(", ").append(b.reading()).append("\n\n");
            md.append(b.relation()).append(". ");
            md.append(b.reading().equals("shared")
                    ? String.format(Locale.ROOT, "Its residual stream is read as %s's; as such it leaves %.1f%% of "
                            + "%s's activation variance on the test tokens unexplained.", r.source(), 100 * b.mapTestFvu(),
                            r.source())
                    : String.format(Locale.ROOT, "An affine map to %s's residual stream, fitted by ridge regression "
                            + "(relative penalty %s) on %,d training-split token rows, leaves %.1f%% of %s's activation "
                            + "variance on the test tokens unexplained.", r.source(), c.ridge(), b.mapRows(),
                            100 * b.mapTestFvu(), r.source()));
            md.append("\n\n| features | ").append(r.source()).append(" (source) | target's own | transferred | "
                    + "transferred - own (points) | transferred - source (points) |\n|---|---|---|---|---|---|\n");
            for (TransferResults.Row row : b.rows()) {
                md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %s | %s |%n", row.kind(),
                        row.sourceMacroF1(), row.nativeMacroF1(), row.transferMacroF1(),
                        row.transferMinusNative().formatPoints(), row.transferMinusSource().formatPoints()));
            }
            TransferResults.Row claimed = claimed(b);
            TransferResults.Row hidden = b.rows().stream().filter(x -> !x.sae()).findFirst().orElse(null);
            md.append(String.format(Locale.ROOT, "%n%d. The binarized summed SAE probe transfers: **%s** (%.3f "
                            + "transferred against %.3f for the target's own probe, %s points)%s.%n", ++n,
                    verdict(claimed.transferMinusNative(), c.margin()), claimed.transferMacroF1(),
                    claimed.nativeMacroF1(), claimed.transferMinusNative().formatPoints(),
                    claimed.transferMacroF1() <= r.majorityMacroF1() + 0.01
                            ? "; it scores no better than the majority class: nothing transfers" : ""));
            if (hidden != null) {
                md.append(String.format(Locale.ROOT, "   Transferred minus the target's own, in points: the SAE probe %s, "
                                + "the hidden-state probe (%s) %s.%n", claimed.transferMinusNative().formatPoints(),
                        hidden.kind(), hidden.transferMinusNative().formatPoints()));
            }
        }
        return md.toString();
    }

    static TransferResults.Row claimed(TransferResults.Block b) {
        return b.rows().stream().filter(x -> x.kind().startsWith(CLAIMED)).findFirst().orElseThrow(
                () -> new IllegalArgumentException(b.target() + ": no row of " + CLAIMED + " features"));
    }
}
