/**
 * The Hugging Face GPTQ checkpoint format (AutoGPTQ / optimum, the v1 layout transformers loads): per linear module
 * {@code qweight} (int32 [in x bits / 32, out], each output's codes packed along the inputs), {@code qzeros} (int32
 * [groups, out x bits / 32], zero points minus one, packed along the outputs), {@code scales} (float16 [groups, out])
 * and {@code g_idx} (int32 [in], each input's group). Codes are packed as one little-endian bit stream, so 3-bit codes
 * cross 32-bit word boundaries exactly as AutoGPTQ's packer lays them out.
 */
package dev.scalpel.compress.gptq;
