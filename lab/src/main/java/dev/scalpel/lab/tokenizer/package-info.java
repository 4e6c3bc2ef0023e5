/**
 * A byte-level BPE tokenizer trained by Scalpel on the lab's corpora, in the design of GPT-2's: the GPT-2 split
 * regex, a 256-symbol byte alphabet (every string is encodable, nothing is ever unknown), merges learned by pair
 * frequency, and a byte-level decoder; plus Llama's habits of splitting numbers into single digits and prepending a BOS
 * token. {@link dev.scalpel.lab.tokenizer.BpeTrainer} learns a {@link dev.scalpel.lab.tokenizer.BpeModel}, which saves
 * as a Hugging Face {@code tokenizer.json} (and {@code tokenizer_config.json}) that the Rust tokenizers library loads,
 * so the authoritative encoder is {@link dev.scalpel.core.text.Tokenizer}; {@link dev.scalpel.lab.tokenizer.BpeEncoder}
 * is a plain-Java encoder for the same files, kept equal to it by the tests.
 */
package dev.scalpel.lab.tokenizer;
