/**
 * Text to tokens: a model folder's tokenizer.json through the Rust tokenizers library
 * ({@link dev.scalpel.core.text.Tokenizer}, the JSON checked in Java first because a native panic would end the JVM) and
 * the one tokenized-text type ({@link dev.scalpel.core.text.TokenizedText}); and the one reader of text corpora
 * ({@link dev.scalpel.core.text.Corpus}: lines or documents, JSON Lines fields, gzip, folders, with the hash of what was
 * read).
 */
package dev.scalpel.core.text;
