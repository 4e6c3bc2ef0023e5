package dev.scalpel.core.train;

/**
 * How to train.
 *
 * @param steps optimizer steps
 * @param accumulation micro-batches per step (their gradients add up before the update)
 * @param peakLearningRate reached after warm-up
 * @param warmupSteps linear warm-up steps
 * @param minLearningRateRatio the cosine schedule ends at peak times this
 * @param clipNorm global gradient-norm clip (0 for none)
 * @param adam AdamW's betas, epsilon and weight decay
 * @param evalEvery steps between evaluations of the validation loss (0 for none)
 * @param checkpointEveryTokens training tokens between saved checkpoints (0 for none besides the last)
 * @param seed seeds everything random in the run (the objective's masking, data order)
 */
public record TrainingConfig(long steps, int accumulation, double peakLearningRate, long warmupSteps,
                             double minLearningRateRatio, double clipNorm, AdamW.Config adam, long evalEvery,
                             long checkpointEveryTokens, long seed) {

    public Schedule schedule() {
        return new Schedule(peakLearningRate, warmupSteps, steps, minLearningRateRatio);
    }
}
