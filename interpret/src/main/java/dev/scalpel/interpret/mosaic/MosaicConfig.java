package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.interpret.sae.SaeArchitecture;
import java.util.List;

/**
 * The MOSAIC grid and its SAEs: which layers, which SAE recipes and widths, which poolings and binarization, and how
 * long each SAE trains. The published grid (Gemma 2 2B/9B with Gemma Scope SAEs of 16k-1M latents) is scaled to what a
 * 2-core CPU trains in minutes: widths 4x and 8x the model width, about one pass over the training tokens.
 *
 * @param hookPattern the hook with {@code %d} for the layer (an encoder's block output, a decoder's residual stream)
 * @param layers a middle and a late layer
 * @param architectures SAE recipes to train (TopK, standard ReLU + L1)
 * @param widths SAE widths
 * @param k TopK's k
 * @param l1 the standard SAE's lambda (activations scaled to E|x| = sqrt(d))
 * @param steps optimizer steps per SAE
 * @param batchSize activation rows per step
 * @param learningRate Adam's rate for both recipes (raised from the papers' 1e-4 / 3e-4 for the short runs)
 * @param deadTokens a latent silent for this many training tokens counts as dead (AuxK)
 * @param contextSize tokens per text
 * @param threshold binarization threshold (x > t; MOSAIC: 1.0)
 * @param topN the n of top-n counts (MOSAIC: 20 or 50)
 * @param spliceTexts texts for the splice evaluation of each SAE
 * @param maxTexts use only the first this many texts (0: all), for smoke tests
 * @param seed split, folds, SAE initialization and batches
 */
public record MosaicConfig(String hookPattern, List<Integer> layers, List<SaeArchitecture> architectures,
                           List<Integer> widths, int k, double l1, int steps, int batchSize, double learningRate,
                           long deadTokens, int contextSize, float threshold, int topN, int spliceTexts, int maxTexts,
                           long seed) {

    public MosaicConfig {
        layers = List.copyOf(layers);
        architectures = List.copyOf(architectures);
        widths = List.copyOf(widths);
    }

    /** all-MiniLM-L6-v2 (6 layers, width 384): layers 3 and 5, SAEs of 1,536 and 3,072 latents. */
    public static MosaicConfig miniLm() {
        return new MosaicConfig(HookNames.blockPattern(HookNames.NORMALIZED_RESID_POST), List.of(3, 5),
                List.of(SaeArchitecture.TOPK, SaeArchitecture.STANDARD), List.of(1536, 3072), 32, 3.0, 600, 1024, 1e-3,
                200_000, 128, 1.0f, 20, 200, 0, 42);
    }

    /** lab-lm (6 layers, width 256): residual stream after layers 2 and 4, SAEs of 1,024 and 2,048 latents. */
    public static MosaicConfig labLm() {
        return new MosaicConfig(HookNames.blockPattern(HookNames.RESID_POST), List.of(2, 4),
                List.of(SaeArchitecture.TOPK, SaeArchitecture.STANDARD), List.of(1024, 2048), 32, 3.0, 600, 1024, 1e-3,
                200_000, 128, 1.0f, 20, 200, 0, 42);
    }

    /** A smoke test of every step: few texts, tiny SAEs, a handful of steps. */
    public MosaicConfig tiny() {
        return new MosaicConfig(hookPattern, layers, architectures, List.of(64, 128), 8, l1, 20, 256, learningRate,
                deadTokens, 32, threshold, 8, 8, 300, seed);
    }

    public String hook(int layer) {
        return String.format(hookPattern, layer);
    }
}
