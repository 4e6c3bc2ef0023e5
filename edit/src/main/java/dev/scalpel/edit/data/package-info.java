/**
 * The editing benchmarks' files: CounterFact and zsRE records read into
 * {@link dev.scalpel.edit.EditRequest}s; a malformed record is refused with its file and line.
 */
package dev.scalpel.edit.data;
