package dev.scalpel.edit.rome;

import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.LocateThenEditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ValueHyperparameters;
import java.util.List;

/**
 * ROME's hyperparameters (hparams/rome/*.json). ROME optimizes the value at the MLP output and clamps its delta at
 * 4 x ||h_init|| (the reference code's clamp_norm_factor for GPT2-XL), so its files set {@code value.clampNormFactor}
 * to 4 where the batch methods keep MEMIT's 0.75.
 *
 * @param layers the site; ROME edits the last one and measures the others for comparison with the batch methods
 * @param c0Tokens tokens the second moment C0 is estimated from (u = C0^-1 k*)
 */
public record RomeHyperparameters(List<Integer> layers, ValueHyperparameters value, long c0Tokens)
        implements LocateThenEditHyperparameters {

    public RomeHyperparameters {
        layers = List.copyOf(layers);
    }

    @Override
    public EditMethod method() {
        return EditMethod.ROME;
    }

    @Override
    public Editor editor(EditContext context) {
        return new Rome(context, this);
    }
}
