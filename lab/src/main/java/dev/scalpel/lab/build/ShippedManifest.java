package dev.scalpel.lab.build;

import java.util.List;

/**
 * What a shipped lab model is: the build it comes from and the figures of the weights as shipped (rounded to
 * {@code dtype}, then measured again, so the numbers are those of the files a user loads).
 *
 * @param name              "lab-lm" or "lab-mdlm"
 * @param dtype             the stored dtype of the shipped weights ("bfloat16")
 * @param weightFingerprint {@code WeightFingerprint} of the shipped weights as loaded
 * @param build             the manifest of the training run that produced them (recipe, data hash, seed, code, curves)
 * @param metrics           test-split metrics of the shipped weights
 * @param validationMetrics validation-split metrics of the shipped weights
 * @param seeds             every seed the recipe was built with and its (float32) metrics, the shipped seed first
 * @param shipped           when the shipment was made
 */
public record ShippedManifest(String name, String dtype, String weightFingerprint, LabManifest build, Object metrics,
                              Object validationMetrics, List<SeedRun> seeds, String shipped) {

    /** One training seed of the shipped recipe and what it reached, on both held-out splits. */
    public record SeedRun(long seed, Object metrics, Object validationMetrics) {
    }
}
