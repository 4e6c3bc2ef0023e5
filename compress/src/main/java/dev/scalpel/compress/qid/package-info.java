/**
 * Quantization-induced degradation and its scaling law (Ouyang et al. 2025, "Low-Bit Quantization Favors Undertrained
 * LLMs", arXiv 2411.17691): QiD is the held-out loss of the quantized model minus the full-precision model's
 * ({@link dev.scalpel.compress.qid.QuantizationDegradation}); the law QiD = k D^beta / (N^alpha P^gamma) in non-embedding
 * parameters N, training tokens D and bits P ({@link dev.scalpel.compress.qid.QidLaw}) is fitted in log space by least
 * squares and on QiD directly by Levenberg-Marquardt, with bootstrap intervals ({@link dev.scalpel.compress.qid.QidFit}),
 * and put to the paper's two uses: a model's training level from its QiD, and QiD projected to more tokens.
 */
package dev.scalpel.compress.qid;
