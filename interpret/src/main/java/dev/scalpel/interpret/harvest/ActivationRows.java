package dev.scalpel.interpret.harvest;

import java.util.SplittableRandom;

/**
 * Rows of activations addressed by index: a harvest folder ({@link ActivationShards}) or an array in memory. SAE
 * training draws its batches from here.
 */
public interface ActivationRows {
    /** The width of a row. */
    int dimension();

    long rowCount();

    /** Copies row {@code row} into {@code dest} from {@code offset}. */
    void copyRow(long row, float[] dest, int offset);

    /**
     * {@code count} rows drawn uniformly with replacement, row-major {@code [count * d]}. Drawing with replacement
     * needs no permutation of the whole set, so memory stays flat however many rows there are.
     */
    default float[] sample(int count, SplittableRandom random) {
        int d = dimension();
        long n = rowCount();
        if (n == 0) {
            throw new IllegalStateException("no rows to sample from");
        }
        float[] out = new float[Math.multiplyExact(count, d)];
        for (int i = 0; i < count; i++) {
            copyRow(random.nextLong(n), out, i * d);
        }
        return out;
    }

    /** Rows held in an array, row-major {@code [rows * d]} (the array is not copied). */
    static ActivationRows inMemory(float[] data, int dimension) {
        if (dimension < 1 || data.length % dimension != 0) {
            throw new IllegalArgumentException(data.length + " values are not whole rows of width " + dimension);
        }
        return new ActivationRows() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public long rowCount() {
                return data.length / dimension;
            }

            @Override
            public void copyRow(long row, float[] dest, int offset) {
                System.arraycopy(data, Math.toIntExact(row * dimension), dest, offset, dimension);
            }
        };
    }
}
