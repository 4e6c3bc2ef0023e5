/**
 * Activation harvesting: a hook point's activations over a text dataset, streamed through any model into sharded
 * safetensors ({@link dev.scalpel.interpret.harvest.ActivationHarvester}) with bounded memory, in a run folder keyed by
 * configuration, weights, token source and texts, resumed with every batch formed as before; and read back row by row,
 * shard by shard or whole ({@link dev.scalpel.interpret.harvest.ActivationShards}).
 */
package dev.scalpel.interpret.harvest;
