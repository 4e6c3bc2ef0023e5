package dev.scalpel.interpret.mosaic;

import dev.scalpel.interpret.sae.SaeArchitecture;
import java.util.List;

/**
 * Which SAE of the MOSAIC grid carries the probes across models, and how the transfer is judged.
 *
 * @param mosaic the grid's settings (hook, context, SAE recipe, threshold, seed): the SAE and harvest are the grid's own,
 *     so a finished {@code reproduce sae-probing} run is reused
 * @param layer the layer whose SAE is transferred
 * @param architecture its recipe
 * @param width its width
 * @param ridge the learned map's penalty relative to the inputs' mean variance
 * @param resamples bootstrap resamples of the test texts for each interval
 * @param margin how far below the target's own probe a transferred probe may score and still count as transferring
 *     (0.03: the three points MOSAIC's claims allow)
 */
public record TransferConfig(MosaicConfig mosaic, int layer, SaeArchitecture architecture, int width, double ridge,
                             int resamples, double margin) {

    public TransferConfig {
        if (!mosaic.layers().contains(layer) || !mosaic.architectures().contains(architecture)
                || !mosaic.widths().contains(width)) {
            throw new IllegalArgumentException("layer " + layer + ", " + architecture.saeLensName() + " " + width
                    + " is not an SAE of the grid (layers " + mosaic.layers() + ", widths " + mosaic.widths() + ")");
        }
    }

    /**
     * lab-lm's transfer: the SAE whose cells scored the best cross-validation macro-F1 in the committed MOSAIC run
     * (docs/reproductions/sae-probing/lab-lm: layer 2, standard ReLU + L1, 2,048 latents, both for binarized summation
     * and for any pooling), a light ridge, 1,000 resamples, a 3-point margin.
     */
    public static TransferConfig labLm() {
        return new TransferConfig(MosaicConfig.labLm(), 2, SaeArchitecture.STANDARD, 2048, 1e-3, 1000, 0.03);
    }

    /** The transfer on lab-lm-tiny (two blocks): the tiny grid's settings at its last block, a smoke test. */
    public static TransferConfig labLmTiny() {
        MosaicConfig t = MosaicConfig.labLm().tiny();
        MosaicConfig lastBlock = new MosaicConfig(t.hookPattern(), List.of(1), t.architectures(), t.widths(), t.k(),
                t.l1(), t.steps(), t.batchSize(), t.learningRate(), t.deadTokens(), t.contextSize(), t.threshold(),
                t.topN(), t.spliceTexts(), t.maxTexts(), t.seed());
        return new TransferConfig(lastBlock, 1, SaeArchitecture.TOPK, t.widths().getLast(), 1e-3, 200, 0.03);
    }

    public String saeName() {
        return MosaicReproduction.saeName(layer, architecture, width);
    }
}
