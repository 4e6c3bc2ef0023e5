/**
 * Low-rank adapters on a model's linear modules: {@link dev.scalpel.core.adapter.LoraAdapter} (W + (alpha / r) B A),
 * read and written in PEFT's on-disk format by {@link dev.scalpel.core.adapter.PeftFormat}, and merged into the
 * weights.
 */
package dev.scalpel.core.adapter;
