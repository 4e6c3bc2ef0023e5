package dev.scalpel.edit.encore;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LocateThenEditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ValueHyperparameters;
import java.util.List;

/**
 * ENCORE's hyperparameters (hparams/encore/*.json; GPT2-XL's and Llama3-8B's from the ENCORE repository's configs).
 * ENCORE's most-probable early stopping is the value optimization's {@code mpesExtra} (GPT2-XL: +3, Llama: +1); without
 * it (mpesExtra -1) the closed form alone is the ablation {@code memit+norm} ({@link EncoreAblations}), and the editor
 * says so in its name.
 *
 * @param covarianceWeight lambda_p, the weight of C0 (GPT2-XL: 20,000; Llama3-8B: 15,000)
 * @param normWeight lambda_n, the identity term that keeps the edited matrix's norm from growing (GPT2-XL: 10)
 * @param c0Tokens tokens the second moment C0 is estimated from
 */
public record EncoreHyperparameters(List<Integer> layers, ValueHyperparameters value, double covarianceWeight,
                                    double normWeight, long c0Tokens) implements LocateThenEditHyperparameters {

    public EncoreHyperparameters {
        layers = List.copyOf(layers);
    }

    @Override
    public EditMethod method() {
        return EditMethod.ENCORE;
    }

    @Override
    public Editor editor(EditContext context) {
        return new Encore(context, this);
    }
}
