/**
 * Statistics the editing methods are computed from: C0, the uncentered second moment of each edited layer's keys over
 * a text corpus ({@link dev.scalpel.edit.stats.SecondMoment}: a run folder per collection, keyed by weights, tokenizer,
 * corpus, token count and context length, holding one file per finished layer and a resumable checkpoint). The corpus
 * and its hash are core's {@link dev.scalpel.core.text.Corpus}, read as documents.
 */
package dev.scalpel.edit.stats;
