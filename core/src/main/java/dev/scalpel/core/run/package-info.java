/**
 * Run folders: one layout for every job that takes long enough to be interrupted. A {@link dev.scalpel.core.run.RunFolder}
 * holds {@code run.json} (the {@link dev.scalpel.core.run.RunKey key} of everything that determines the result, and the
 * {@link dev.scalpel.core.run.Provenance provenance} of the run: model, weights' fingerprint, data hashes, seed, code
 * version, {@link dev.scalpel.core.run.Machine machine}), {@code state/} (the last checkpoint, replaced in one step),
 * {@code results.json} and the report. A folder whose key differs from the job's is refused with the differences named,
 * never silently reused; {@link dev.scalpel.core.run.RunFolder#keyed} puts work with other settings beside it instead.
 */
package dev.scalpel.core.run;
