package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.eval.PairedBootstrap;
import java.util.List;
import java.util.Map;

/**
 * What a transfer run measured: for each target model and each way of reading it (its residual stream as it is, or
 * through a learned map), every kind of feature's probe trained on the source, scored on the target.
 *
 * @param source the source model's name
 * @param sae the transferred SAE's quality on the source
 * @param data examples and split sizes
 * @param majorityMacroF1 the test macro-F1 of always answering the training split's majority class: no information
 * @param blocks one per target and reading
 * @param seconds wall time of this process
 */
public record TransferResults(String source, TransferConfig config, MosaicResults.SaeSummary sae,
                              Map<String, Object> data, double majorityMacroF1, List<Block> blocks, double seconds) {
    public TransferResults {
        data = Map.copyOf(data);
        blocks = List.copyOf(blocks);
    }

    /**
     * One target read one way.
     *
     * @param target the target model's name
     * @param relation how it relates to the source, in words
     * @param reading "shared" (its residual stream as it is) or "learned map"
     * @param mapTestFvu the map's unexplained variance of the source's activations on the test texts' tokens (0 for the
     *     shared reading, where the target's rows stand for the source's as they are, it is measured the same way)
     * @param mapRows token rows the map was fitted on (0 for the shared reading)
     */
    public record Block(String target, String targetFingerprint, String relation, String reading, double mapTestFvu,
                        long mapRows, List<Row> rows) {
        public Block {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One kind of feature.
     *
     * @param kind e.g. "SAE, sum, binarized >1.0" or "hidden state, mean (standardized)"
     * @param sae whether the features are the SAE's
     * @param sourceMacroF1 the source probe on the source's test texts
     * @param nativeMacroF1 a probe trained on the target's own features (same recipe, same split) on its test texts
     * @param transferMacroF1 the source probe on the target's test texts
     * @param transferMinusNative the transfer's shortfall against the target's own probe, with its interval
     * @param transferMinusSource what the probe loses by changing models
     */
    public record Row(String kind, boolean sae, double sourceMacroF1, double nativeMacroF1, double transferMacroF1,
                      PairedBootstrap transferMinusNative, PairedBootstrap transferMinusSource) {
    }
}
