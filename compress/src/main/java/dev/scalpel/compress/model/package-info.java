/**
 * Quantizing a whole model: every linear module of every block ({@code TransformerModel.linearModules()}), blocks in
 * order, each block's GPTQ Hessians taken from calibration inputs that flow through the blocks already quantized
 * ({@link dev.scalpel.compress.model.ModelQuantizer}).
 */
package dev.scalpel.compress.model;
