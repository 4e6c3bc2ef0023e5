package dev.scalpel.edit.memit;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LocateThenEditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ValueHyperparameters;
import java.util.List;

/**
 * MEMIT's hyperparameters (hparams/memit/*.json; GPT2-XL's and Llama's from the reference repositories' configs).
 *
 * @param layers the edited layers, spread over by the residual (MEMIT: 13-17 for GPT2-XL)
 * @param covarianceWeight lambda, MEMIT's mom2_update_weight: how strongly C0's keys are preserved (GPT2-XL: 20,000;
 *     the lab models' keys are far smaller and take 100, the sweep in docs/reproductions/editing)
 * @param c0Tokens tokens the second moment C0 is estimated from (mom2_n_samples x 128 for GPT2-XL)
 */
public record MemitHyperparameters(List<Integer> layers, ValueHyperparameters value, double covarianceWeight,
                                   long c0Tokens) implements LocateThenEditHyperparameters {

    public MemitHyperparameters {
        layers = List.copyOf(layers);
    }

    @Override
    public EditMethod method() {
        return EditMethod.MEMIT;
    }

    @Override
    public Editor editor(EditContext context) {
        return new Memit(context, this);
    }
}
