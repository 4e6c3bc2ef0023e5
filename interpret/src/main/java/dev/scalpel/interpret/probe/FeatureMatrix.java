package dev.scalpel.interpret.probe;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feature rows in LIBLINEAR's form: per row, the non-zero entries as {@link Feature}s with ascending 1-based indices.
 * Only non-zeros are stored, so 16k-wide SAE features that are mostly off cost what is on, not 16k slots per text;
 * dense rows (hidden states) are just rows with every entry present. Columns are 0-based in this class's API.
 *
 * <p>A classifier with an intercept needs a constant feature in every row; {@link #rowsWithBias()} makes those rows
 * once and shares them between every fit of a cross-validation.
 */
public final class FeatureMatrix {
    private final int columns;
    private final Feature[][] rows;
    private Feature[][] withBias;

    private FeatureMatrix(int columns, Feature[][] rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public static Builder builder(int columns) {
        return new Builder(columns);
    }

    /** Dense rows, zeros dropped. */
    public static FeatureMatrix ofDense(float[][] dense) {
        if (dense.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        Builder b = builder(dense[0].length);
        for (float[] row : dense) {
            b.addDense(row);
        }
        return b.build();
    }

    public int rows() {
        return rows.length;
    }

    public int columns() {
        return columns;
    }

    /** Stored (non-zero) entries over all rows. */
    public long nonZeros() {
        long n = 0;
        for (Feature[] r : rows) {
            n += r.length;
        }
        return n;
    }

    /** Row {@code i} as LIBLINEAR reads it, without the bias feature; do not modify. */
    public Feature[] row(int i) {
        return rows[i];
    }

    /** Row {@code i} written out densely (for inspection and tests). */
    public float[] dense(int i) {
        float[] out = new float[columns];
        for (Feature f : rows[i]) {
            out[f.getIndex() - 1] = (float) f.getValue();
        }
        return out;
    }

    /**
     * Every row with a constant 1 at column {@code columns + 1} (1-based) appended, as LIBLINEAR expects when a
     * problem's bias is 1: the last weight it learns is then the intercept. Made on first use, then shared.
     */
    public synchronized Feature[][] rowsWithBias() {
        if (withBias == null) {
            Feature[][] out = new Feature[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                Feature[] r = Arrays.copyOf(rows[i], rows[i].length + 1);
                r[r.length - 1] = new FeatureNode(columns + 1, 1.0);
                out[i] = r;
            }
            withBias = out;
        }
        return withBias;
    }

    /** Accumulates rows. */
    public static final class Builder {
        private final int columns;
        private final List<Feature[]> rows = new ArrayList<>();

        private Builder(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("a feature matrix needs at least one column: " + columns);
            }
            this.columns = columns;
        }

        /** A dense row of length {@code columns}; zero entries are not stored. */
        public Builder addDense(float[] row) {
            return addDense(row, 0);
        }

        /** The dense row {@code flat[offset .. offset + columns)}; zero entries are not stored. */
        public Builder addDense(float[] flat, int offset) {
            return putDense(rows.size(), flat, offset);
        }

        /** Sets row {@code row} (rows may be filled in any order; {@link #build()} checks none is missing). */
        public Builder putDense(int row, float[] flat, int offset) {
            if (offset < 0 || offset + columns > flat.length) {
                throw new IllegalArgumentException("a dense row needs " + columns + " values from offset " + offset
                        + " but the array has " + flat.length);
            }
            int nz = 0;
            for (int j = 0; j < columns; j++) {
                if (flat[offset + j] != 0f) {
                    nz++;
                }
            }
            Feature[] r = new Feature[nz];
            int k = 0;
            for (int j = 0; j < columns; j++) {
                float v = flat[offset + j];
                if (v != 0f) {
                    checkFinite(v, j);
                    r[k++] = new FeatureNode(j + 1, v);
                }
            }
            return put(row, r);
        }

        /** A sparse row: 0-based column indices, strictly ascending, and their values (zeros are dropped). */
        public Builder addSparse(int[] indices, float[] values) {
            return putSparse(rows.size(), indices, values);
        }

        /** Sets row {@code row} to a sparse row, as {@link #addSparse}. */
        public Builder putSparse(int row, int[] indices, float[] values) {
            if (indices.length != values.length) {
                throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
            }
            List<Feature> r = new ArrayList<>(indices.length);
            int previous = -1;
            for (int k = 0; k < indices.length; k++) {
                int j = indices[k];
                if (j <= previous || j >= columns) {
                    throw new IllegalArgumentException("sparse row indices must ascend strictly within [0, " + columns
                            + "): " + j + " after " + previous);
                }
                previous = j;
                if (values[k] != 0f) {
                    checkFinite(values[k], j);
                    r.add(new FeatureNode(j + 1, values[k]));
                }
            }
            return put(row, r.toArray(new Feature[0]));
        }

        private Builder put(int row, Feature[] r) {
            if (row < 0) {
                throw new IllegalArgumentException("row index must be >= 0: " + row);
            }
            while (rows.size() <= row) {
                rows.add(null);
            }
            if (rows.get(row) != null) {
                throw new IllegalArgumentException("row " + row + " is already set");
            }
            rows.set(row, r);
            return this;
        }

        public int size() {
            return rows.size();
        }

        public FeatureMatrix build() {
            int missing = rows.indexOf(null);
            if (missing >= 0) {
                throw new IllegalStateException("row " + missing + " of " + rows.size() + " was never set");
            }
            if (rows.isEmpty()) {
                throw new IllegalStateException("no rows");
            }
            return new FeatureMatrix(columns, rows.toArray(new Feature[0][]));
        }

        private static void checkFinite(float v, int column) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("feature " + column + " is " + v + "; features must be finite");
            }
        }
    }
}
