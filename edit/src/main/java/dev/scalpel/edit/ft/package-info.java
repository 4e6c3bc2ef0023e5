/**
 * Knowledge editing by fine-tuning, EasyEdit's FT baseline: gradient steps on the edited layers' MLP down projections
 * against the new targets, with an optional L-infinity bound on how far each weight may move (FT-L, from the ROME
 * paper). {@link dev.scalpel.edit.ft.EditLoss} says what is fitted, {@link dev.scalpel.edit.ft.FineTune} runs the
 * loop.
 */
package dev.scalpel.edit.ft;
