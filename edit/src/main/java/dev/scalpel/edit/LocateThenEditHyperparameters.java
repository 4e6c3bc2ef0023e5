package dev.scalpel.edit;

/**
 * The hyperparameters of the locate-then-edit methods (ROME, MEMIT, AlphaEdit, ENCORE): each first optimizes a target
 * value at the edited site, then writes it into the weights in closed form.
 */
public interface LocateThenEditHyperparameters extends EditHyperparameters {
    /** The value optimization every one of these methods starts from. */
    ValueHyperparameters value();
}
