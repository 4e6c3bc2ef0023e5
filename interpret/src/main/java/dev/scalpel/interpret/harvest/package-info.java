/**
 * Activation harvesting: a hook point's activations over a text dataset, streamed through any model into sharded
 * safetensors ({@link dev.scalpel.interpret.harvest.ActivationHarvester}) with bounded memory and byte-identical
 * resume, and read back row by row, shard by shard or whole ({@link dev.scalpel.interpret.harvest.ActivationShards}).
 */
package dev.scalpel.interpret.harvest;
