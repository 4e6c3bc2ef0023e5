package dev.scalpel.compress.gptq;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The packed matrix-vector product in the vector API: one output tile per vector, codes unpacked lane-wise. */
final class VectorMatVec {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private VectorMatVec() {
    }

    static int lanes() {
        return FLOATS.length();
    }

    static void multiply(PackedGptqLinear w, int fromTile, int toTile, float[] slots, float[] groupSums, float[] y) {
        int lanes = w.lanes();
        if (lanes != INTS.length() || lanes != FLOATS.length()) {
            throw new IllegalStateException("packed for " + lanes + " lanes, but this JVM's vectors have "
                    + FLOATS.length());
        }
        int bits = w.bitsPerCode();
        int perWord = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int wordRows = w.wordRows();
        int groups = w.groups();
        int[] groupStart = w.groupWordStart();
        int outPadded = w.outPadded();
        float[] scales = w.scales();
        float[] scaledZeros = w.scaledZeros();
        MemorySegment words = w.words();
        long rowBytes = (long) lanes * Integer.BYTES;
        for (int t = fromTile; t < toTile; t++) {
            long tileOffset = (long) t * wordRows * rowBytes;
            int column = t * lanes;
            FloatVector acc = FloatVector.zero(FLOATS);
            for (int g = 0; g < groups; g++) {
                FloatVector groupAcc = FloatVector.zero(FLOATS);
                for (int r = groupStart[g]; r < groupStart[g + 1]; r++) {
                    IntVector word = IntVector.fromMemorySegment(INTS, words, tileOffset + r * rowBytes,
                            ByteOrder.nativeOrder());
                    int x = r * perWord;
                    for (int j = 0; j < perWord; j++) {
                        FloatVector code = (FloatVector) word.lanewise(VectorOperators.LSHR, bits * j)
                                .and(mask).convert(VectorOperators.I2F, 0);
                        groupAcc = code.fma(FloatVector.broadcast(FLOATS, slots[x + j]), groupAcc);
                    }
                }
                int at = g * outPadded + column;
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at);
                FloatVector scaledZero = FloatVector.fromArray(FLOATS, scaledZeros, at);
                acc = groupAcc.fma(scale, acc).sub(scaledZero.mul(groupSums[g]));
            }
            acc.intoArray(y, column);
        }
    }

    /**
     * Output tiles {@code [fromTile, toTile)} of the dense weight, written as [in, out] (a tile's outputs are then
     * contiguous): scale x (code - zero) in the order the scalar path computes it, so the values are bit for bit the same.
     */
    static void dequantizeInByOut(PackedGptqLinear w, int fromTile, int toTile, float[] dense) {
        int lanes = w.lanes();
        int bits = w.bitsPerCode();
        int perWord = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int wordRows = w.wordRows();
        int[] groupStart = w.groupWordStart();
        int[] inputOfSlot = w.inputOfSlot();
        int outPadded = w.outPadded();
        int out = w.outFeatures();
        float[] scales = w.scales();
        int[] zeros = w.zeros();
        MemorySegment words = w.words();
        long rowBytes = (long) lanes * Integer.BYTES;
        for (int t = fromTile; t < toTile; t++) {
            long tileOffset = (long) t * wordRows * rowBytes;
            int column = t * lanes;
            VectorMask<Float> inRange = FLOATS.indexInRange(column, out);
            for (int g = 0; g < w.groups(); g++) {
                int at = g * outPadded + column;
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at);
                IntVector zero = IntVector.fromArray(INTS, zeros, at);
                for (int r = groupStart[g]; r < groupStart[g + 1]; r++) {
                    IntVector word = IntVector.fromMemorySegment(INTS, words, tileOffset + r * rowBytes,
                            ByteOrder.nativeOrder());
                    for (int j = 0; j < perWord; j++) {
                        int input = inputOfSlot[r * perWord + j];
                        if (input < 0) {
                            continue;   // a group's padding slot
                        }
                        FloatVector value = ((FloatVector) word.lanewise(VectorOperators.LSHR, bits * j).and(mask)
                                .sub(zero).convert(VectorOperators.I2F, 0)).mul(scale);
                        value.intoArray(dense, input * out + column, inRange);
                    }
                }
            }
        }
    }
}
