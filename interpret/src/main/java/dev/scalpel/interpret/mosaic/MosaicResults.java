package dev.scalpel.interpret.mosaic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything a MOSAIC run measured: the data, each trained SAE, and one cell per probe configuration.
 *
 * @param model the model's name
 * @param config the grid
 * @param data examples, class and group counts, split sizes
 * @param saes one summary per trained SAE
 * @param cells one result per probe (SAE grid cells and baselines)
 * @param seconds wall time of the run (this process; cached steps cost nothing)
 */
public record MosaicResults(String model, MosaicConfig config, Map<String, Object> data, List<SaeSummary> saes,
                            List<Cell> cells, double seconds) {

    public MosaicResults {
        data = Map.copyOf(data);
        saes = List.copyOf(saes);
        cells = List.copyOf(cells);
    }

    /**
     * A trained SAE's quality on held-out activations and inside the model.
     *
     * @param spliceMeasure what the splice compares (next-token loss for LMs, embedding cosine for encoders)
     * @param recovered the share of the zero-ablation damage the reconstruction avoids
     */
    public record SaeSummary(int layer, String architecture, int width, double l0, double fvu, double deadFraction,
                             String spliceMeasure, double clean, double spliced, double zeroAblated, double recovered,
                             double trainSeconds, double stepsPerSecond) {
    }

    /**
     * One probe: its features (layer, SAE, pooling, binarization; nulls for what does not apply) and its scores.
     *
     * @param probe "sae", "hidden_state" or "tfidf"
     * @param cvMean mean macro-F1 over the cross-validation folds at the chosen C
     * @param cvStd their standard deviation
     * @param hardHamAccuracy test accuracy on the hard-ham group (NaN when the data have none)
     * @param foldMacroF1 macro-F1 per value of the C grid (outer) and fold (inner), for selection inside the
     *     cross-validation ({@link MosaicClaims#selectedCv}); null in results written before it was kept
     */
    public record Cell(String key, String probe, Integer layer, String architecture, Integer width, String pooling,
                       // The results format's key keeps its first spelling, so committed results stay readable.
                       @JsonProperty("binarise") String binarize, double cvMean, double cvStd, double testMacroF1, double testAccuracy,
                       double hardHamAccuracy, double chosenC, double meanNonZeros, double seconds,
                       // Absent from results written before it was kept, and left out of the JSON when absent.
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<List<Double>> foldMacroF1) {
        public Cell {
            foldMacroF1 = foldMacroF1 == null ? null : foldMacroF1.stream().map(List::copyOf).toList();
        }

        /** {@code scores[gridIndex][fold]} as a list per value of C. */
        public static List<List<Double>> folds(double[][] scores) {
            return java.util.Arrays.stream(scores).map(row -> java.util.Arrays.stream(row).boxed().toList()).toList();
        }
    }
}
