package dev.scalpel.edit;

/**
 * Hyperparameters of the value optimization (MEMIT's compute_z, ROME's compute_v): the target value z is the hidden
 * state plus a delta optimized so that the model predicts the new object. Every method's file holds them under
 * {@code "value"}; MEMIT's defaults (hparams/MEMIT/gpt2-xl.json of the reference code) are steps 20, learning rate 0.5,
 * KL factor 0.0625, weight decay 0.5, clamp 0.75, early stop 0.05.
 *
 * @param steps gradient steps (MEMIT's v_num_grad_steps: 20 for GPT2-XL, 25 for Llama and GPT-J)
 * @param learningRate Adam's step size on delta (v_lr)
 * @param klFactor weight of KL(p_now || p_init) at the KL prompt's subject token (kl_factor)
 * @param weightDecay weight of ||delta|| / ||h_init||^2 (v_weight_decay)
 * @param clampNormFactor ||delta|| is clamped to this times ||h_init|| after each step (clamp_norm_factor; ROME: 4)
 * @param earlyStopLoss stop once the loss is below this
 * @param mpesExtra ENCORE's most-probable early stopping "+k": stop after k + 1 iterations (not necessarily
 *     consecutive) in which every target token is the teacher-forced top-1 in every rewrite prompt; -1 for off
 */
public record ValueHyperparameters(int steps, double learningRate, double klFactor, double weightDecay,
                                   double clampNormFactor, double earlyStopLoss, int mpesExtra) {

    public ValueHyperparameters {
        if (steps < 1 || !(learningRate > 0) || clampNormFactor <= 0 || mpesExtra < -1) {
            throw new IllegalArgumentException("the value optimization needs steps >= 1, a positive learning rate and"
                    + " clamp, and mpesExtra >= -1 (-1: off); got steps " + steps + ", learning rate " + learningRate
                    + ", clamp " + clampNormFactor + ", mpesExtra " + mpesExtra);
        }
    }

    /** MEMIT's defaults with {@code steps} gradient steps and no early stopping on top-1 (tests build on these). */
    public static ValueHyperparameters memit(int steps) {
        return new ValueHyperparameters(steps, 0.5, 0.0625, 0.5, 0.75, 0.05, -1);
    }

    public ValueHyperparameters withMpes(int extra) {
        return new ValueHyperparameters(steps, learningRate, klFactor, weightDecay, clampNormFactor, earlyStopLoss, extra);
    }
}
