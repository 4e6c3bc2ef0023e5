package dev.scalpel.interpret.sae.train;

import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.core.hparams.HyperparameterFiles;
import dev.scalpel.core.hparams.HyperparameterOverride;
import java.util.List;
import java.util.Objects;

/**
 * How to train a sparse autoencoder. The published recipes are files ({@code hparams/sae/topk.json}: OpenAI's
 * sparse_autoencoder; {@code hparams/sae/standard.json}: ReLU + L1 as in SAELens after Anthropic's April 2024 update),
 * read by {@link #load}; {@link #topK} and {@link #standard} give them for a width.
 *
 * @param architecture TOPK or STANDARD
 * @param dSae number of latents
 * @param k TopK's k (ignored for STANDARD)
 * @param auxK TopK's AuxK: how many dead latents reconstruct the residual (0 for none)
 * @param auxKCoefficient weight of the AuxK loss (OpenAI: 1/32)
 * @param deadTokenWindow a latent that has not fired for this many training tokens is dead (OpenAI: 10M)
 * @param learningRate Adam's learning rate, constant
 * @param l1Coefficient STANDARD's lambda, reached after the warm-up (ignored for TOPK)
 * @param l1WarmupSteps steps over which lambda rises linearly from 0 (0: full lambda from the start)
 * @param clipNorm global gradient-norm clip, 0 for none
 * @param scaleActivations train on x scaled so that E|x| = sqrt(d_in) (SAELens's {@code expected_average_only_in}),
 *     folding the factor back into the weights at the end, so that lambda and the learning rate mean the same for any
 *     model; the saved SAE takes raw activations either way
 * @param batchSize activation rows per step
 * @param steps optimizer steps
 * @param seed seeds initialization and batch sampling; equal seeds and data give equal SAEs
 * @param logEvery steps between metric reports
 */
public record SaeTrainingConfig(SaeArchitecture architecture, int dSae, int k, int auxK, double auxKCoefficient,
                                long deadTokenWindow, double learningRate, double l1Coefficient, long l1WarmupSteps,
                                double clipNorm, boolean scaleActivations, int batchSize, long steps, long seed,
                                long logEvery) {

    public SaeTrainingConfig {
        Objects.requireNonNull(architecture, "architecture");
        if (architecture == SaeArchitecture.JUMPRELU) {
            throw new IllegalArgumentException("Scalpel trains TopK and standard (ReLU + L1) SAEs, not JumpReLU");
        }
        if (dSae < 1) {
            throw new IllegalArgumentException("d_sae must be positive: " + dSae);
        }
        if (architecture == SaeArchitecture.TOPK && (k < 1 || k > dSae)) {
            throw new IllegalArgumentException("TopK needs 0 < k <= d_sae; got k=" + k + ", d_sae=" + dSae);
        }
        if (auxK < 0 || auxKCoefficient < 0) {
            throw new IllegalArgumentException("AuxK's k and coefficient cannot be negative: " + auxK + ", " + auxKCoefficient);
        }
        if (deadTokenWindow < 1) {
            throw new IllegalArgumentException("the dead-latent window must be at least 1 token: " + deadTokenWindow);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("the learning rate must be positive: " + learningRate);
        }
        if (l1Coefficient < 0 || l1WarmupSteps < 0 || clipNorm < 0) {
            throw new IllegalArgumentException("lambda, its warm-up and the clip norm cannot be negative");
        }
        if (batchSize < 1 || steps < 1 || logEvery < 1) {
            throw new IllegalArgumentException("batch size, steps and logging interval must be positive: " + batchSize
                    + ", " + steps + ", " + logEvery);
        }
    }

    /**
     * A named recipe ({@code hparams/sae/topk.json}, {@code hparams/sae/standard.json}) or a JSON file, with overrides.
     */
    public static SaeTrainingConfig load(String nameOrPath, List<HyperparameterOverride> overrides) {
        return HyperparameterFiles.load(SaeTrainingConfig.class, "sae", nameOrPath, overrides);
    }

    /**
     * OpenAI's TopK recipe (hparams/sae/topk.json): AuxK with the 256 top dead latents weighted 1/32, dead after 10M
     * tokens, Adam at 1e-4, no clipping, unscaled activations; 4096 rows a batch, 10,000 steps.
     */
    public static SaeTrainingConfig topK(int dSae, int k) {
        return load("topk", List.of(HyperparameterOverride.parse("dSae=" + dSae), HyperparameterOverride.parse("k=" + k)));
    }

    /**
     * SAELens's standard SAE with Anthropic's April 2024 recipe (hparams/sae/standard.json): lambda weighted by decoder
     * norms, warmed up over the first 5% of the default 10,000 steps, Adam at 3e-4, gradient clip 1.0, activations
     * scaled to E|x| = sqrt(d_in).
     */
    public static SaeTrainingConfig standard(int dSae, double l1Coefficient) {
        return load("standard", List.of(HyperparameterOverride.parse("dSae=" + dSae),
                HyperparameterOverride.parse("l1Coefficient=" + l1Coefficient)));
    }

    public SaeTrainingConfig withSteps(long n) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, n, seed, logEvery);
    }

    public SaeTrainingConfig withBatchSize(int rows) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, rows, steps, seed, logEvery);
    }

    public SaeTrainingConfig withLearningRate(double lr) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, lr,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, steps, seed, logEvery);
    }

    public SaeTrainingConfig withSeed(long s) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, steps, s, logEvery);
    }

    public SaeTrainingConfig withLogEvery(long n) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, steps, seed, n);
    }

    public SaeTrainingConfig withAuxK(int latents, double coefficient) {
        return new SaeTrainingConfig(architecture, dSae, k, latents, coefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, steps, seed, logEvery);
    }

    public SaeTrainingConfig withDeadTokenWindow(long tokens) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, tokens, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scaleActivations, batchSize, steps, seed, logEvery);
    }

    public SaeTrainingConfig withL1(double coefficient, long warmupSteps) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                coefficient, warmupSteps, clipNorm, scaleActivations, batchSize, steps, seed, logEvery);
    }

    public SaeTrainingConfig withClipNorm(double norm) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, norm, scaleActivations, batchSize, steps, seed, logEvery);
    }

    public SaeTrainingConfig withScaleActivations(boolean scale) {
        return new SaeTrainingConfig(architecture, dSae, k, auxK, auxKCoefficient, deadTokenWindow, learningRate,
                l1Coefficient, l1WarmupSteps, clipNorm, scale, batchSize, steps, seed, logEvery);
    }

    /** lambda at {@code step} (counting from 0): linear warm-up, then constant. */
    public double l1At(long step) {
        if (l1WarmupSteps == 0) {
            return l1Coefficient;
        }
        return l1Coefficient * Math.min(1.0, (double) (step + 1) / l1WarmupSteps);
    }
}
