package dev.scalpel.edit;

import java.util.List;

/**
 * What every editing method's hyperparameters record has: the edited layers and the tokens
 * the second moment C0 is estimated from. Each method has its own record of named fields
 * ({@link dev.scalpel.edit.rome.RomeHyperparameters}, {@link dev.scalpel.edit.memit.MemitHyperparameters},
 * {@link dev.scalpel.edit.alphaedit.AlphaEditHyperparameters}, {@link dev.scalpel.edit.encore.EncoreHyperparameters}),
 * read from {@code hparams/{method}/{model}.json} by {@link EditHyperparameterFiles}.
 */
public interface EditHyperparameters {

    /** The edited layers (ROME edits the last one); C0 and the diagnostics cover all of them. */
    List<Integer> layers();

    /** Tokens the second moment C0 = E[k k^T] is estimated from; 0 for methods that use none (FT, LoRA). */
    long c0Tokens();

    /** The method these are the hyperparameters of. */
    EditMethod method();

    /** A fresh editor with these hyperparameters (state for one sequential run). */
    Editor editor(EditContext context);
}
