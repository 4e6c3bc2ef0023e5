/**
 * Statistics the editing methods are computed from: C0, the uncentered second moment of each edited layer's keys over
 * a text corpus ({@link dev.scalpel.edit.stats.SecondMoment}, cached and resumable, keyed by weights, layers, corpus,
 * token count and context length). The corpus and its hash are core's {@link dev.scalpel.core.text.Corpus}, read as
 * documents.
 */
package dev.scalpel.edit.stats;
