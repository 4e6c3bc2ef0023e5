/**
 * Hyperparameters as data, in the style of EasyEdit's {@code hparams/{method}/{model}.json}: every method has one
 * record of named fields, and its values come from a named JSON file among Scalpel's resources
 * ({@code hparams/rome/gpt2-xl.json}) or from a file the user names, then from {@code --hparam name=value} overrides.
 * {@link dev.scalpel.core.hparams.HyperparameterFiles} reads them strictly: every field must be given, an unknown key
 * or a value of the wrong type is an error that names the file and the key.
 */
package dev.scalpel.core.hparams;
