package dev.scalpel.edit;

/**
 * Hyperparameters of the value optimisation (MEMIT's compute_z), MEMIT's defaults.
 *
 * @param steps gradient steps (20 for GPT2-XL, 25 for Llama and GPT-J)
 * @param learningRate Adam's step size on delta (0.5)
 * @param klFactor weight of KL(p_now || p_init) at the KL prompt's subject token (0.0625)
 * @param weightDecay weight of ||delta|| / ||h_init||^2 (0.5)
 * @param clampNormFactor ||delta|| is clamped to this times ||h_init|| after each step (0.75)
 * @param earlyStopLoss stop once the loss is below this (0.05)
 * @param mpesExtra ENCORE's most-probable early stopping "+k": stop after k + 1 iterations (not necessarily
 *     consecutive) in which every target token is the teacher-forced top-1 in every rewrite prompt; -1 for off
 */
public record ValueConfig(int steps, double learningRate, double klFactor, double weightDecay, double clampNormFactor,
                          double earlyStopLoss, int mpesExtra) {

    public static ValueConfig memit(int steps) {
        return new ValueConfig(steps, 0.5, 0.0625, 0.5, 0.75, 0.05, -1);
    }

    public ValueConfig withMpes(int extra) {
        return new ValueConfig(steps, learningRate, klFactor, weightDecay, clampNormFactor, earlyStopLoss, extra);
    }

    public ValueConfig withClamp(double factor) {
        return new ValueConfig(steps, learningRate, klFactor, weightDecay, factor, earlyStopLoss, mpesExtra);
    }

    public ValueConfig withLearningRate(double lr) {
        return new ValueConfig(steps, lr, klFactor, weightDecay, clampNormFactor, earlyStopLoss, mpesExtra);
    }
}
