package dev.scalpel.compress.gptq;

/**
 * Values of {@code bits} bits each, packed into 32-bit words as one little-endian bit stream: value i occupies bits
 * [i x bits, (i + 1) x bits) of the stream, word k holding stream bits [32 k, 32 k + 32) with the lowest first. For 2, 4
 * and 8 bits this is AutoGPTQ's 32 / bits values per word; for 3 bits a value can straddle two words.
 */
public final class BitPacking {
    private BitPacking() {
    }

    /** How many words {@code count} values of {@code bits} bits take. */
    public static int words(int count, int bits) {
        return (int) (((long) count * bits + 31) / 32);
    }

    /** Packs {@code count} values read at {@code values[offset + i * stride]} into {@code words(count, bits)} words. */
    public static int[] pack(int[] values, int offset, int stride, int count, int bits) {
        int mask = bits == 32 ? -1 : (1 << bits) - 1;
        int[] words = new int[words(count, bits)];
        for (int i = 0; i < count; i++) {
            int value = values[offset + i * stride];
            if ((value & ~mask) != 0) {
                throw new IllegalArgumentException("value " + value + " at " + i + " does not fit in " + bits + " bits");
            }
            long bit = (long) i * bits;
            int word = (int) (bit >>> 5);
            int shift = (int) (bit & 31);
            words[word] |= value << shift;
            if (shift + bits > 32) {   // the value straddles into the next word
                words[word + 1] |= value >>> (32 - shift);
            }
        }
        return words;
    }

    /** The {@code count} values packed in {@code words[offset + k * stride]} (k = 0, 1, ...). */
    public static int[] unpack(int[] words, int offset, int stride, int count, int bits) {
        int mask = (1 << bits) - 1;
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            long bit = (long) i * bits;
            int word = (int) (bit >>> 5);
            int shift = (int) (bit & 31);
            long pair = Integer.toUnsignedLong(words[offset + word * stride]);
            if (shift + bits > 32) {
                pair |= Integer.toUnsignedLong(words[offset + (word + 1) * stride]) << 32;
            }
            values[i] = (int) (pair >>> shift) & mask;
        }
        return values;
    }
}
