package dev.scalpel.compress.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.core.linalg.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Packed weights hold exactly the values their codes stand for, and the dequantizing kernel multiplies as the dense
 * matrix does: checked against {@link QuantizedMatrix#dequantize} and a double-precision product written here.
 */
class PackedGptqLinearTest {

    @Test
    void reusedBuffersCarryNothingFromOneModuleToTheNext() {
        // A 3-bit module with groups of 16 pads each group to two words of ten codes (four padding slots), which the
        // kernel multiplies too: they must hold zeros whatever ran before (a module fed NaN runs first). A kernel
        // that reuses its buffers across calls must clear them; this is what breaks if it does not.
        QuantizedMatrix wide = randomMatrix(4, 32, false, 256, 40, new Random(1));
        QuantizedMatrix padded = randomMatrix(3, 16, false, 64, 33, new Random(2));
        try (NDManager manager = NDManager.newBaseManager(); PackedGptqLinear first = PackedGptqLinear.of(wide, false);
             PackedGptqLinear second = PackedGptqLinear.of(padded, false)) {
            float[] nan = new float[256];
            java.util.Arrays.fill(nan, Float.NaN);
            first.apply(manager.create(nan, new Shape(1, 256)));
            float[] x = new float[64];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i);
            }
            float[] y = second.apply(manager.create(x, new Shape(1, 64))).toFloatArray();
            Matrix dense = padded.dequantize();
            for (int o = 0; o < 33; o++) {
                double sum = 0;
                for (int i = 0; i < 64; i++) {
                    sum += x[i] * dense.get(o, i);
                }
                assertEquals(sum, y[o], 1e-4, "output " + o);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, groups of {1}, act-order {2}")
    @CsvSource({"2, 32, false", "3, 32, true", "3, 128, false", "4, 32, true", "4, 16, false", "8, 64, true"})
    void packedWeightsDequantizeExactlyAndMultiplyAsTheDenseMatrix(int bits, int groupSize, boolean actOrder) {
        int in = 128;
        int out = 75;   // not a multiple of any vector width: the last tile is partial
        QuantizedMatrix q = randomMatrix(bits, groupSize, actOrder, in, out, new Random(bits * 31L + groupSize));
        Matrix dense = q.dequantize();
        try (NDManager manager = NDManager.newBaseManager(); PackedGptqLinear packed = PackedGptqLinear.of(q, false);
             PackedGptqLinear transposed = PackedGptqLinear.of(q, true)) {
            float[] expected = new float[in * out];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = (float) dense.data()[k];
            }
            assertArrayEquals(expected, packed.dequantize(manager).toFloatArray(), "[out, in], bit for bit");
            float[] inByOut = transposed.dequantize(manager).toFloatArray();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    // The vector path writes [in, out]; its values must be the scalar path's, bit for bit.
                    assertEquals(Float.floatToIntBits(expected[o * in + i]), Float.floatToIntBits(inByOut[i * out + o]),
                            "[in, out] for a Conv1D module, output " + o + ", input " + i);
                }
            }
            int groups = in / groupSize;
            int perWord = 32 / bits;
            long outPadded = (out + 15) / 16 * 16;
            long codeBytes = 4L * groups * ((groupSize + perWord - 1) / perWord) * outPadded;
            long gridBytes = 12L * groups * outPadded;   // scale, scale x zero, zero
            // Four int32 indexes per input: its slot, its group, the slot's input, and the group starts.
            assertTrue(packed.residentBytes() <= codeBytes + gridBytes + 16L * in,
                    "codes at bits / 32 of float32's bytes, plus the grids and indexes: " + packed.residentBytes());

            Random random = new Random(7);
            for (int rows : new int[] {1, 3, PackedGptqLinear.KERNEL_MAX_ROWS + 3}) {   // kernel, kernel, dense
                float[] x = new float[rows * in];
                for (int k = 0; k < x.length; k++) {
                    x[k] = (float) random.nextGaussian();
                }
                float[] y = packed.apply(manager.create(x, new Shape(1, rows, in))).toFloatArray();
                assertEquals(rows * out, y.length);
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < out; o++) {
                        double sum = 0;
                        double magnitude = 0;
                        for (int i = 0; i < in; i++) {
                            double term = x[r * in + i] * dense.get(o, i);
                            sum += term;
                            magnitude += Math.abs(term);
                        }
                        assertEquals(sum, y[r * out + o], 1e-5 * magnitude + 1e-6,
                                rows + " rows, row " + r + ", output " + o);
                    }
                }
            }
        }
    }

    /** d sum(x W^T) / dx is the column sums of W: the gradient reaches an input that asked for one. */
    @Test
    void theInputsGradientFlowsThroughAPackedWeight() {
        int in = 64;
        int out = 16;
        QuantizedMatrix q = randomMatrix(4, 32, false, in, out, new Random(3));
        Matrix dense = q.dequantize();
        try (NDManager manager = NDManager.newBaseManager(); PackedGptqLinear packed = PackedGptqLinear.of(q, false)) {
            NDArray x = manager.randomNormal(new Shape(1, in));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(packed.apply(x).sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            for (int i = 0; i < in; i++) {
                double columnSum = 0;
                for (int o = 0; o < out; o++) {
                    columnSum += dense.get(o, i);
                }
                assertEquals(columnSum, gradient[i], 1e-4, "input " + i);
            }
        }
    }

    /** Codes, scales and zeros drawn at random; with act-order the group of each input is shuffled as GPTQ's g_idx. */
    static QuantizedMatrix randomMatrix(int bits, int groupSize, boolean actOrder, int in, int out, Random random) {
        QuantizationScheme scheme = new QuantizationScheme(bits, groupSize, false);
        int groups = in / groupSize;
        int[] codes = new int[out * in];
        for (int k = 0; k < codes.length; k++) {
            codes[k] = random.nextInt(1 << bits);
        }
        float[] scales = new float[out * groups];
        int[] zeros = new int[out * groups];
        for (int k = 0; k < scales.length; k++) {
            scales[k] = 0.01f + random.nextFloat() * 0.1f;
            zeros[k] = random.nextInt(1 << bits);
        }
        int[] group = new int[in];
        for (int i = 0; i < in; i++) {
            group[i] = i / groupSize;
        }
        if (actOrder) {
            for (int i = in - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = group[i];
                group[i] = group[j];
                group[j] = t;
            }
        }
        return new QuantizedMatrix(out, in, scheme, groups, codes, scales, zeros, group);
    }
}
