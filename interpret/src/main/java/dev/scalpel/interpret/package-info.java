/**
 * Looking inside models: sparse autoencoders ({@code sae}), activation harvesting ({@code harvest}), feature
 * probes and their baselines ({@code probe}), and the MOSAIC reproduction.
 */
package dev.scalpel.interpret;
