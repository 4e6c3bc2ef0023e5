package dev.scalpel.edit.ft;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import java.util.List;

/**
 * FT's hyperparameters (hparams/ft/*.json), EasyEdit's FT fields under Scalpel's names.
 *
 * @param layers the layers whose MLP down projection is fine-tuned (EasyEdit's rewrite_module_tmp)
 * @param loss what is fitted: PROMPT_LAST is FT-L, TARGET_NEW is FT-M
 * @param steps epochs over the batch's requests (num_steps)
 * @param batchSize requests per gradient step (batch_size)
 * @param learningRate Adam's step size (lr)
 * @param normConstraint how far any weight may move from its value before the batch (the L-infinity bound of FT-L),
 *     or 0 for none (EasyEdit's false)
 * @param stopLoss a step is skipped when its loss is below this, and the epochs end when their mean is (EasyEdit: 1e-2)
 * @param c0Tokens 0: FT uses no second moment (a positive value has C0 estimated anyway, for the run's description)
 */
public record FineTuneHyperparameters(List<Integer> layers, EditLoss loss, int steps, int batchSize, double learningRate,
                                      double normConstraint, double stopLoss, long c0Tokens) implements EditHyperparameters {

    public FineTuneHyperparameters {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || steps < 1 || batchSize < 1 || !(learningRate > 0) || normConstraint < 0) {
            throw new IllegalArgumentException("FT needs layers, at least one step, a batch size of at least 1, a positive"
                    + " learning rate and a norm constraint of 0 (none) or more; got " + layers + ", " + steps + ", "
                    + batchSize + ", " + learningRate + ", " + normConstraint);
        }
    }

    @Override
    public EditMethod method() {
        return EditMethod.FT;
    }

    @Override
    public Editor editor(EditContext context) {
        return new FineTune(context, this);
    }
}
