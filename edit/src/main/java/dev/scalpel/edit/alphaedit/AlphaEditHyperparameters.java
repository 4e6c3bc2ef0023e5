package dev.scalpel.edit.alphaedit;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LocateThenEditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ValueHyperparameters;
import java.util.List;

/**
 * AlphaEdit's hyperparameters (hparams/alphaedit/*.json; GPT2-XL's and Llama3-8B's from the AlphaEdit repository).
 *
 * @param nullspaceThreshold singular values of C0 below this span the protected null space (paper: 2e-2)
 * @param nullspaceRelative if true the threshold is relative to C0's largest singular value (the lab models' C0 has
 *     no natural scale)
 * @param alphaL2 the L2 term alpha of the projected normal equations (paper: 10)
 * @param c0Tokens tokens the second moment C0 is estimated from
 */
public record AlphaEditHyperparameters(List<Integer> layers, ValueHyperparameters value, double nullspaceThreshold,
                                       boolean nullspaceRelative, double alphaL2, long c0Tokens)
        implements LocateThenEditHyperparameters {

    public AlphaEditHyperparameters {
        layers = List.copyOf(layers);
    }

    @Override
    public EditMethod method() {
        return EditMethod.ALPHAEDIT;
    }

    @Override
    public Editor editor(EditContext context) {
        return new AlphaEdit(context, this);
    }
}
