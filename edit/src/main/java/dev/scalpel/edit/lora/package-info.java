/**
 * Knowledge editing by LoRA fine-tuning, EasyEdit's LoRA baseline: a fresh low-rank adapter per batch on the edited
 * layers' MLP down projections, trained on the new targets, merged into the weights after the batch (and savable in
 * PEFT's format). {@link dev.scalpel.edit.lora.LoraEdit} runs it.
 */
package dev.scalpel.edit.lora;
