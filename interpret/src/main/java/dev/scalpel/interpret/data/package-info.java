/**
 * Labeled text data for probes: the bundled SpamAssassin corpus (MIME-parsed with Apache James mime4j), any JSONL
 * file, and deterministic stratified splits.
 */
package dev.scalpel.interpret.data;
