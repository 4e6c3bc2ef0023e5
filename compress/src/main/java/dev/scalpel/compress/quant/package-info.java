/**
 * Low-bit weight quantization of one linear layer at a time, on float64 matrices laid out as the layer computes
 * ({@code [out, in]}: rows are outputs, columns inputs). {@link dev.scalpel.compress.quant.QuantizationScheme} says how
 * many bits, how large a group of inputs shares a scale and zero, and whether the grid is symmetric;
 * {@link dev.scalpel.compress.quant.GroupGrid} is one row-group's grid, computed as the GPTQ reference's Quantizer
 * does; {@link dev.scalpel.compress.quant.Rtn} rounds every weight to its grid;
 * {@link dev.scalpel.compress.quant.Gptq} (Frantar et al. 2023, "GPTQ: Accurate Post-Training Quantization for
 * Generative Pre-trained Transformers", code IST-DASLab/gptq and AutoGPTQ) rounds one column at a time and spreads each
 * column's error over the columns not yet rounded, weighted by the inverse Hessian of the layer's inputs. Both return a
 * {@link dev.scalpel.compress.quant.QuantizedMatrix}: integer codes with their grids, from which the weights are
 * recovered exactly as a dequantizing kernel would.
 */
package dev.scalpel.compress.quant;
