/**
 * Lifelong (sequential) editing as the ENCORE paper runs it: batches of edits applied one after another to one model,
 * with norms, downstream probes and held-out scores recorded after each batch, saved as it goes and resumed only when
 * every setting, the facts and the starting weights match ({@link dev.scalpel.edit.run.SequentialEditRun}).
 */
package dev.scalpel.edit.run;
