package dev.scalpel.compress.gptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.core.model.PackedLinear;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

/**
 * A quantized linear weight kept packed in memory and applied by a dequantizing matrix-vector kernel: decoding reads
 * bits / 32 of the bytes a float32 weight takes, which is what makes low-bit decoding fast on a memory-bound CPU.
 *
 * <p>The layout is this class's own, chosen for the kernel rather than taken from the file: inputs are sorted by group
 * (act-order scatters a group's inputs; sorted, each group's codes are contiguous and its scale factors out of the
 * sum), each group is padded to whole words of {@code 32 / bits} codes (3 bits: ten codes in 30 bits, so no code
 * straddles two words), and outputs are cut into tiles of one vector's lanes, each tile's words stored one after
 * another so the kernel streams memory in order. Per output o and group g the kernel sums {@code x_i q_io} over the
 * group's inputs and adds {@code s_go (sum - z_go sum x_i)}.
 *
 * <p>Many rows at once (a prompt's prefill) are compute-bound, not memory-bound: there the weight is dequantized for
 * the call and multiplied by libtorch.
 */
public final class PackedGptqLinear implements PackedLinear {
    /** Up to this many rows go through the matrix-vector kernel, one row at a time. */
    static final int KERNEL_MAX_ROWS = 4;

    private final int in;
    private final int out;
    private final int bits;
    private final int codesPerWord;
    private final int lanes;
    private final int tiles;
    private final int outPadded;
    private final int groups;
    private final int wordRows;
    private final int[] groupWordStart;   // [groups + 1], in word rows
    private final int[] slotOfInput;      // [in]: the input's place in the group-sorted, padded input vector
    private final int[] groupOfInput;     // [in] (g_idx)
    private final int[] inputOfSlot;      // [wordRows x codesPerWord]: the input in each slot, -1 for padding
    private final float[] scales;         // [groups, outPadded]
    private final float[] scaledZeros;    // [groups, outPadded]: scale x zero
    private final int[] zeros;            // [groups, outPadded]
    private final boolean storedInByOut;
    private final Arena arena;
    private final MemorySegment words;    // [tiles, wordRows, lanes] int32

    private PackedGptqLinear(QuantizedMatrix q, boolean storedInByOut, int lanes) {
        this.in = q.cols();
        this.out = q.rows();
        this.bits = q.scheme().bits();
        this.codesPerWord = 32 / bits;
        this.lanes = lanes;
        this.tiles = (out + lanes - 1) / lanes;
        this.outPadded = tiles * lanes;
        this.groups = q.groups();
        this.storedInByOut = storedInByOut;
        int[] group = q.groupOfColumn();
        int[] count = new int[groups];
        for (int i = 0; i < in; i++) {
            count[group[i]]++;
        }
        groupWordStart = new int[groups + 1];
        for (int g = 0; g < groups; g++) {
            groupWordStart[g + 1] = groupWordStart[g] + (count[g] + codesPerWord - 1) / codesPerWord;
        }
        wordRows = groupWordStart[groups];
        groupOfInput = group.clone();
        slotOfInput = new int[in];
        int[] filled = new int[groups];
        for (int i = 0; i < in; i++) {
            int g = group[i];
            slotOfInput[i] = groupWordStart[g] * codesPerWord + filled[g]++;
        }
        inputOfSlot = new int[wordRows * codesPerWord];
        java.util.Arrays.fill(inputOfSlot, -1);
        for (int i = 0; i < in; i++) {
            inputOfSlot[slotOfInput[i]] = i;
        }
        int[] packed = new int[Math.toIntExact((long) tiles * wordRows * lanes)];
        int[] codes = q.codes();
        for (int o = 0; o < out; o++) {
            int tileBase = (o / lanes) * wordRows * lanes + o % lanes;
            for (int i = 0; i < in; i++) {
                int slot = slotOfInput[i];
                packed[tileBase + slot / codesPerWord * lanes] |= codes[o * in + i] << (bits * (slot % codesPerWord));
            }
        }
        scales = new float[groups * outPadded];
        scaledZeros = new float[groups * outPadded];
        zeros = new int[groups * outPadded];
        for (int o = 0; o < out; o++) {
            for (int g = 0; g < groups; g++) {
                float s = q.scales()[o * groups + g];
                int z = q.zeros()[o * groups + g];
                scales[g * outPadded + o] = s;
                zeros[g * outPadded + o] = z;
                scaledZeros[g * outPadded + o] = s * z;
            }
        }
        arena = Arena.ofShared();
        words = arena.allocate((long) packed.length * Integer.BYTES, 64);
        MemorySegment.copy(packed, 0, words, ValueLayout.JAVA_INT, 0, packed.length);
    }

    /**
     * Packs a quantized {@code [out, in]} weight for inference.
     *
     * @param storedInByOut whether the model stores the dense weight [in, out] (what {@link #dequantize} returns)
     */
    public static PackedGptqLinear of(QuantizedMatrix q, boolean storedInByOut) {
        return new PackedGptqLinear(q, storedInByOut, MatVecKernel.lanes());
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    public int bits() {
        return bits;
    }

    @Override
    public NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        long rows = shape.size() / in;
        Shape outShape = shape.slice(0, shape.dimension() - 1).add(out);
        // An input that needs a gradient (attribution through a quantized model) goes through libtorch, whose graph
        // carries the gradient back to it; the kernel's result would have none.
        if (rows > KERNEL_MAX_ROWS || !MatVecKernel.available() || x.getDataType() != DataType.FLOAT32
                || x.hasGradient()) {
            // Prefill-sized inputs: the weight is widened once per call and libtorch's GEMM does the product.
            try (NDArray w = dense(x.getManager(), true)) {
                return x.matMul(w);
            }
        }
        float[] xs = x.toFloatArray();
        float[] y = new float[Math.toIntExact(rows * out)];
        float[] row = new float[outPadded];
        float[] slots = new float[wordRows * codesPerWord];
        float[] sums = new float[groups];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(sums, 0f);
            for (int i = 0; i < in; i++) {
                float v = xs[r * in + i];
                int slot = slotOfInput[i];
                slots[slot] = v;
                sums[groupOfInput[i]] += v;
            }
            multiply(slots, sums, row);
            System.arraycopy(row, 0, y, r * out, out);
        }
        return x.getManager().create(y, outShape);
    }

    /** Splits the output tiles over the common pool when there are enough to share. */
    private void multiply(float[] slots, float[] sums, float[] y) {
        int parts = Math.min(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1, tiles / 8);
        if (parts <= 1) {
            MatVecKernel.multiply(this, 0, tiles, slots, sums, y);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(p ->
                MatVecKernel.multiply(this, tiles * p / parts, tiles * (p + 1) / parts, slots, sums, y));
    }

    @Override
    public NDArray dequantize(NDManager manager) {
        return storedInByOut ? dense(manager, true) : denseOutByIn(manager);
    }

    private NDArray denseOutByIn(NDManager manager) {
        return dense(manager, false);
    }

    /** scale x (code - zero), the value {@link QuantizedMatrix#dequantize} gives, as [out, in] or [in, out]. */
    private NDArray dense(NDManager manager, boolean inByOut) {
        float[] w = new float[Math.toIntExact((long) in * out)];
        if (inByOut && MatVecKernel.available()) {
            int parts = Math.max(1, Math.min(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1, tiles / 8));
            IntStream.range(0, parts).parallel().forEach(p ->
                    MatVecKernel.dequantizeInByOut(this, tiles * p / parts, tiles * (p + 1) / parts, w));
            return manager.create(w, new Shape(in, out));
        }
        int mask = (1 << bits) - 1;
        for (int o = 0; o < out; o++) {
            long tileBase = (long) (o / lanes) * wordRows * lanes + o % lanes;
            for (int i = 0; i < in; i++) {
                int slot = slotOfInput[i];
                int word = words.getAtIndex(ValueLayout.JAVA_INT, tileBase + (long) slot / codesPerWord * lanes);
                int code = (word >>> (bits * (slot % codesPerWord))) & mask;
                int at = groupOfInput[i] * outPadded + o;
                float value = scales[at] * (float) (code - zeros[at]);
                w[inByOut ? i * out + o : o * in + i] = value;
            }
        }
        return manager.create(w, inByOut ? new Shape(in, out) : new Shape(out, in));
    }

    @Override
    public long residentBytes() {
        return words.byteSize() + 4L * (scales.length + scaledZeros.length + zeros.length + slotOfInput.length
                + groupOfInput.length + groupWordStart.length + inputOfSlot.length);
    }

    @Override
    public void close() {
        arena.close();
    }

    // The kernel reads the layout directly.
    int lanes() {
        return lanes;
    }

    int bitsPerCode() {
        return bits;
    }

    int codesPerWord() {
        return codesPerWord;
    }

    int wordRows() {
        return wordRows;
    }

    int groups() {
        return groups;
    }

    int[] groupWordStart() {
        return groupWordStart;
    }

    int outPadded() {
        return outPadded;
    }

    float[] scales() {
        return scales;
    }

    float[] scaledZeros() {
        return scaledZeros;
    }

    int[] zeros() {
        return zeros;
    }

    int[] inputOfSlot() {
        return inputOfSlot;
    }

    MemorySegment words() {
        return words;
    }
}
