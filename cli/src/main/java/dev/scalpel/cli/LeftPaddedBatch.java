package dev.scalpel.cli;

import java.util.List;

/**
 * Token rows of different lengths laid out right-aligned in one [rows, length] block: padding first, mask 0 there, and
 * positions that count real tokens only (0 at padding), so each row computes what it would alone.
 */
record LeftPaddedBatch(int rows, int length, long[] ids, long[] mask, long[] positions) {

    static LeftPaddedBatch of(List<long[]> inputs, long padId) {
        int rows = inputs.size();
        int length = inputs.stream().mapToInt(r -> r.length).max().orElseThrow();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] positions = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            long[] row = inputs.get(r);
            int offset = length - row.length;
            for (int j = 0; j < length; j++) {
                int at = r * length + j;
                boolean real = j >= offset;
                ids[at] = real ? row[j - offset] : padId;
                mask[at] = real ? 1 : 0;
                positions[at] = real ? j - offset : 0;
            }
        }
        return new LeftPaddedBatch(rows, length, ids, mask, positions);
    }
}
