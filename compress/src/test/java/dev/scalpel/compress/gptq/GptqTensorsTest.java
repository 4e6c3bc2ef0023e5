package dev.scalpel.compress.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.compress.quant.Rtn;
import dev.scalpel.core.linalg.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packing round-trips bit-exactly at every width, and lays the words out as AutoGPTQ's packer does. */
class GptqTensorsTest {

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {2, 3, 4, 8})
    void valuesRoundTripBitExactlyAtEveryWidth(int bits) {
        Random random = new Random(bits);
        int[] values = random.ints(320, 0, 1 << bits).toArray();
        values[0] = (1 << bits) - 1;   // every bit of a field set
        int[] words = BitPacking.pack(values, 0, 1, values.length, bits);
        assertEquals(values.length * bits / 32, words.length);
        assertArrayEquals(values, BitPacking.unpack(words, 0, 1, values.length, bits));
    }

    /**
     * AutoGPTQ's 3-bit packer, transcribed from its description: per 32 values, three words; ten values at 3 bits
     * each, then one value split over the word boundary (2 + 1 bits, then 1 + 2 bits).
     */
    private static int[] autoGptqThreeBit(int[] v) {
        int[] q = new int[v.length * 3 / 32];
        int i = 0;
        int row = 0;
        while (row < q.length) {
            for (int j = i; j < i + 10; j++) {
                q[row] |= v[j] << (3 * (j - i));
            }
            i += 10;
            q[row] |= v[i] << 30;
            row++;
            q[row] |= (v[i] >> 2) & 1;
            i++;
            for (int j = i; j < i + 10; j++) {
                q[row] |= v[j] << (3 * (j - i) + 1);
            }
            i += 10;
            q[row] |= v[i] << 31;
            row++;
            q[row] |= (v[i] >> 1) & 3;
            i++;
            for (int j = i; j < i + 10; j++) {
                q[row] |= v[j] << (3 * (j - i) + 2);
            }
            i += 10;
            row++;
        }
        return q;
    }

    @Test
    void threeBitWordsCrossWordBoundariesAsAutoGptqPacksThem() {
        int[] values = new Random(3).ints(96, 0, 8).toArray();
        assertArrayEquals(autoGptqThreeBit(values), BitPacking.pack(values, 0, 1, 96, 3));
        int[] four = new Random(4).ints(16, 0, 16).toArray();
        int expected = 0;
        for (int j = 0; j < 8; j++) {
            expected |= four[j] << (4 * j);   // AutoGPTQ's 4-bit packer: eight values a word, the first lowest
        }
        assertEquals(expected, BitPacking.pack(four, 0, 1, 16, 4)[0]);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {2, 3, 4, 8})
    void aQuantizedMatrixRoundTripsThroughTheCheckpointTensors(int bits) {
        Random random = new Random(10 + bits);
        double[] w = new double[32 * 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * 0.05;
        }
        Matrix weight = new Matrix(32, 64, w);
        double[] x = new double[200 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * (1 + i % 64 % 3);
        }
        Matrix xs = new Matrix(200, 64, x);
        Matrix h = dev.scalpel.core.linalg.Linalg.multiply(xs.transpose(), xs);
        var scheme = new QuantizationScheme(bits, 32, true);
        QuantizedMatrix q = Gptq.quantize(weight, h, Gptq.Config.of(scheme).withActOrder(true, false)).quantized();
        GptqTensors tensors = GptqTensors.pack(q);
        assertEquals(64 * bits / 32 * 32, tensors.qweight().length, "qweight is [in x bits / 32, out]");
        assertEquals(2 * (32 * bits / 32), tensors.qzeros().length, "qzeros is [groups, out x bits / 32]");
        QuantizedMatrix back = tensors.unpack(true, 32);
        assertArrayEquals(q.codes(), back.codes());
        assertArrayEquals(q.zeros(), back.zeros());
        assertArrayEquals(q.groupOfColumn(), back.groupOfColumn(), "act-order's g_idx survives");
        for (int k = 0; k < q.scales().length; k++) {
            assertEquals(q.scales()[k], back.scales()[k], Math.ulp(q.scales()[k]) * 4096, "float16 keeps 11 bits");
        }
        assertArrayEquals(tensors.qweight(), GptqTensors.pack(back).qweight(), "packing what was unpacked is exact");
        assertArrayEquals(tensors.qzeros(), GptqTensors.pack(back).qzeros());
        assertArrayEquals(tensors.scales(), GptqTensors.pack(back).scales());
    }

    @Test
    void whatTheFormatCannotHoldIsRefusedWithTheReason() {
        double[] positive = new double[32 * 32];
        java.util.Arrays.fill(positive, 0.25);
        QuantizedMatrix allPositive = Rtn.quantize(new Matrix(32, 32, positive), new QuantizationScheme(4, 0, false));
        var e = assertThrows(IllegalArgumentException.class, () -> GptqTensors.pack(allPositive));
        assertTrue(e.getMessage().contains("zero point 0"), e.getMessage());
        QuantizedMatrix odd = Rtn.quantize(new Matrix(5, 32, new double[5 * 32]), new QuantizationScheme(4, 0, true));
        e = assertThrows(IllegalArgumentException.class, () -> GptqTensors.pack(odd));
        assertTrue(e.getMessage().contains("32 -> 5 module cannot be packed at 4 bits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GptqTensors.requirePackable(5, 32, 32));
    }
}
