package dev.scalpel.edit.lora;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ft.EditLoss;
import java.util.List;

/**
 * LoRA's hyperparameters (hparams/lora/*.json), EasyEdit's LoRA fields under Scalpel's names.
 *
 * @param layers the layers whose down projection gets an adapter
 * @param loss what is fitted (EasyEdit's LoRA trains the teacher-forced target loss, TARGET_NEW)
 * @param rank r
 * @param alpha lora_alpha; the adapter adds (alpha / r) B A
 * @param steps epochs over the batch's requests (num_steps)
 * @param batchSize requests per gradient step
 * @param learningRate Adam's step size (lr)
 * @param stopLoss the epochs end once their mean loss is under this (0: never, as EasyEdit's LoRA)
 * @param c0Tokens 0: LoRA uses no second moment
 */
public record LoraHyperparameters(List<Integer> layers, EditLoss loss, int rank, double alpha, int steps, int batchSize,
                                  double learningRate, double stopLoss, long c0Tokens) implements EditHyperparameters {

    public LoraHyperparameters {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || rank < 1 || steps < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("LoRA needs layers, a rank and steps of at least 1, a batch size of at least"
                    + " 1 and a positive learning rate; got " + layers + ", " + rank + ", " + steps + ", " + batchSize
                    + ", " + learningRate);
        }
    }

    @Override
    public EditMethod method() {
        return EditMethod.LORA;
    }

    @Override
    public Editor editor(EditContext context) {
        return new LoraEdit(context, this);
    }
}
