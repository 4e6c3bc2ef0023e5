package dev.scalpel.compress.gptq;

import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.compress.quant.QuantizedMatrix;

/**
 * One linear module's four GPTQ tensors, row-major as the checkpoint stores them.
 *
 * @param qweight [in x bits / 32, out]
 * @param qzeros [groups, out x bits / 32], each zero point minus one (the v1 offset)
 * @param scales [groups, out], float16 bit patterns
 * @param groupIndex [in] (g_idx)
 */
public record GptqTensors(int bits, int inFeatures, int outFeatures, int groups, int[] qweight, int[] qzeros,
                          short[] scales, int[] groupIndex) {

    public GptqTensors {
        requirePackable(bits, inFeatures, outFeatures);
        if (qweight.length != (long) inFeatures * bits / 32 * outFeatures
                || qzeros.length != (long) groups * (outFeatures * bits / 32) || scales.length != (long) groups * outFeatures
                || groupIndex.length != inFeatures) {
            throw new IllegalArgumentException("GPTQ tensors of a " + inFeatures + " -> " + outFeatures + " module at "
                    + bits + " bits with " + groups + " groups have the wrong sizes: qweight " + qweight.length
                    + ", qzeros " + qzeros.length + ", scales " + scales.length + ", g_idx " + groupIndex.length);
        }
    }

    /** The packed layout needs whole words along both dimensions, as transformers' GPTQ kernels do. */
    public static void requirePackable(int bits, int inFeatures, int outFeatures) {
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("the GPTQ format packs 2, 3, 4 or 8 bits, not " + bits);
        }
        if ((long) inFeatures * bits % 32 != 0 || (long) outFeatures * bits % 32 != 0) {
            throw new IllegalArgumentException("a " + inFeatures + " -> " + outFeatures + " module cannot be packed at "
                    + bits + " bits: both sizes times the bits must be multiples of 32");
        }
    }

    /** Packs a quantized {@code [out, in]} matrix. */
    public static GptqTensors pack(QuantizedMatrix q) {
        int bits = q.scheme().bits();
        int in = q.cols();
        int out = q.rows();
        requirePackable(bits, in, out);
        int rowsOfWords = in * bits / 32;
        int[] qweight = new int[rowsOfWords * out];
        for (int j = 0; j < out; j++) {
            int[] column = BitPacking.pack(q.codes(), j * in, 1, in, bits);   // output j's codes along its inputs
            for (int k = 0; k < rowsOfWords; k++) {
                qweight[k * out + j] = column[k];
            }
        }
        int groups = q.groups();
        int[] stored = new int[groups * out];   // [group, out]
        short[] scales = new short[groups * out];
        for (int j = 0; j < out; j++) {
            for (int g = 0; g < groups; g++) {
                int zero = q.zeros()[j * groups + g];
                if (zero == 0) {
                    // v1 stores zero - 1: -1 has no code (AutoGPTQ's packer would corrupt the neighboring zeros).
                    throw new IllegalArgumentException("output " + j + ", group " + g + " has zero point 0, which the "
                            + "GPTQ v1 format cannot store (all its weights are >= 0 under an asymmetric grid); quantize "
                            + "symmetrically");
                }
                stored[g * out + j] = zero - 1;
                scales[g * out + j] = Float.floatToFloat16(q.scales()[j * groups + g]);
            }
        }
        int wordsPerGroup = out * bits / 32;
        int[] qzeros = new int[groups * wordsPerGroup];
        for (int g = 0; g < groups; g++) {
            System.arraycopy(BitPacking.pack(stored, g * out, 1, out, bits), 0, qzeros, g * wordsPerGroup, wordsPerGroup);
        }
        return new GptqTensors(bits, in, out, groups, qweight, qzeros, scales, q.groupOfColumn().clone());
    }

    /** The quantized matrix these tensors hold, its scales read back from float16. */
    public QuantizedMatrix unpack(boolean symmetric, int groupSize) {
        QuantizationScheme scheme = new QuantizationScheme(bits, groupSize, symmetric);
        int in = inFeatures;
        int out = outFeatures;
        int[] codes = new int[out * in];
        for (int j = 0; j < out; j++) {
            System.arraycopy(BitPacking.unpack(qweight, j, out, in, bits), 0, codes, j * in, in);
        }
        float[] scaleValues = new float[out * groups];
        int[] zeros = new int[out * groups];
        int wordsPerGroup = out * bits / 32;
        for (int g = 0; g < groups; g++) {
            int[] stored = BitPacking.unpack(qzeros, g * wordsPerGroup, 1, out, bits);
            for (int j = 0; j < out; j++) {
                zeros[j * groups + g] = stored[j] + 1;
                scaleValues[j * groups + g] = Float.float16ToFloat(scales[g * out + j]);
            }
        }
        for (int c = 0; c < in; c++) {
            if (groupIndex[c] < 0 || groupIndex[c] >= groups) {
                throw new IllegalArgumentException("g_idx[" + c + "] = " + groupIndex[c] + " names no group of " + groups);
            }
        }
        return new QuantizedMatrix(out, in, scheme, groups, codes, scaleValues, zeros, groupIndex.clone());
    }
}
