/**
 * Building the lab's models: the data (corpora, tokenizer, packed token streams), the training runs (resumable, with a
 * ladder of checkpoints), the evaluations each model is judged by, and the cache and manifest that let every command
 * name a lab model like a downloaded one.
 */
package dev.scalpel.lab.build;
