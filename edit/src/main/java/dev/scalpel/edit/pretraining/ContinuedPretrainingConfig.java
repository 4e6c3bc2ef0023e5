package dev.scalpel.edit.pretraining;

import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.TrainingConfig;

/**
 * How a trained model goes on training: next-token loss on packed rows of new text, AdamW with warm-up and cosine decay
 * (the lab's betas and clipping), and {@code measurements} evenly spaced checkpoints at which every diagnostic is taken.
 *
 * @param weightDecay AdamW's decoupled weight decay: it pulls every norm down, so the claim is read against it
 * @param seed the order of the training text
 */
public record ContinuedPretrainingConfig(long steps, int batchSize, int sequenceLength, double peakLearningRate,
                                         long warmupSteps, double weightDecay, int measurements, long seed) {
    public ContinuedPretrainingConfig {
        if (steps <= 0 || batchSize <= 0 || sequenceLength <= 1 || measurements <= 0 || steps % measurements != 0) {
            throw new IllegalArgumentException("continued pre-training needs positive steps, batch size, a sequence of at "
                    + "least 2 tokens, and a number of measurements that divides the steps; got steps " + steps
                    + ", batch " + batchSize + ", sequence " + sequenceLength + ", measurements " + measurements);
        }
        if (!(peakLearningRate > 0) || warmupSteps < 0 || warmupSteps >= steps || weightDecay < 0) {
            throw new IllegalArgumentException("learning rate must be positive, warm-up shorter than the run and weight "
                    + "decay not negative; got " + peakLearningRate + ", " + warmupSteps + ", " + weightDecay);
        }
    }

    public long tokensPerStep() {
        return (long) batchSize * sequenceLength;
    }

    public long tokens() {
        return steps * tokensPerStep();
    }

    /** The trainer's configuration: a checkpoint and a validation loss at every measurement. */
    public TrainingConfig training() {
        long every = steps / measurements;
        return new TrainingConfig(steps, 1, peakLearningRate, warmupSteps, 0.1, 1.0,
                new AdamW.Config(0.9, 0.95, 1e-8, weightDecay), every, every * tokensPerStep(), seed);
    }
}
