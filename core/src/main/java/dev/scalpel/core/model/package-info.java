/**
 * Transformer models on libtorch: configs read from config.json ({@link dev.scalpel.core.model.HfConfig},
 * {@link dev.scalpel.core.model.ModelConfigs}), the architectures (GPT-2, the Llama family with Mistral and Qwen2,
 * Gemma 2, BERT) as plain classes over named parameters, the forward pass with hook points
 * ({@link dev.scalpel.core.model.TransformerModel#forward}), key/value caches, and saving back to a Hugging Face folder
 * ({@link dev.scalpel.core.model.ModelWriter}).
 */
package dev.scalpel.core.model;
