/**
 * Sentence embeddings from encoder models: a text's token vectors pooled into one vector (mean over the attention
 * mask, or the [CLS] vector: core's {@link dev.scalpel.core.activations.TokenPooling}) and L2-normalized, as
 * sentence-transformers and LangChain4j compute them; and all-MiniLM-L6-v2, the pretrained encoder that ships on the
 * class path as ONNX, imported into Scalpel's BERT.
 */
package dev.scalpel.core.embed;
