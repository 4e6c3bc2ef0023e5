package dev.scalpel.interpret.mosaic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.probe.Binarisation;
import dev.scalpel.interpret.probe.FeatureMatrix;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Per-text pooled features computed from harvested token rows, in one pass over the shards: every pooling of the MOSAIC
 * grid (sum, mean, max, last token, top-n counts) is accumulated at once, so an SAE encodes each token row exactly once
 * and the model never runs again. Matrices for a pooling and an optional binarisation are then built on demand (one at a
 * time, since sparse LIBLINEAR rows of 6,000 texts take hundreds of megabytes).
 *
 * <p>Top-n counts: for each token, the latents among its n largest activations that are above zero each count one.
 */
public final class PooledFeatures {
    /** The poolings the grid compares, by their option names. */
    public enum Pooling {
        SUM("sum"), MEAN("mean"), MAX("max"), LAST("last"), TOP_N("topn");

        private final String label;

        Pooling(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final int CHUNK_ROWS = 2048;

    private final int width;
    private final int topN;
    private final float[][] sum;
    private final float[][] max;
    private final float[][] last;
    private final float[][] topCounts;
    private final int[] tokens;

    private PooledFeatures(int texts, int width, int topN) {
        this.width = width;
        this.topN = topN;
        this.sum = new float[texts][width];
        this.max = new float[texts][width];
        this.last = new float[texts][width];
        this.topCounts = topN > 0 ? new float[texts][width] : null;
        this.tokens = new int[texts];
        for (float[] m : max) {
            Arrays.fill(m, Float.NEGATIVE_INFINITY);
        }
    }

    /** Pools the SAE's features of every token row; {@code topN} 0 skips top-n counts. */
    public static PooledFeatures ofSae(ActivationShards shards, int texts, SparseAutoencoder sae, int topN) {
        return of(shards, texts, sae.dSae(), topN, sae.manager(), sae::encode);
    }

    /** Pools the activations themselves (the hidden-state baseline). */
    public static PooledFeatures ofActivations(ActivationShards shards, int texts, NDManager manager) {
        return of(shards, texts, shards.dimension(), 0, manager, x -> x);
    }

    private static PooledFeatures of(ActivationShards shards, int texts, int width, int topN, NDManager parent,
                                     UnaryOperator<NDArray> features) {
        PooledFeatures p = new PooledFeatures(texts, width, topN);
        int d = shards.dimension();
        long[] lastPosition = new long[texts];
        Arrays.fill(lastPosition, Long.MIN_VALUE);
        for (int s = 0; s < shards.shardCount(); s++) {
            float[] rows = shards.shardRows(s);
            long[] textIndex = shards.shardTextIndex(s);
            long[] positions = shards.shardPositions(s);
            int n = textIndex.length;
            for (int start = 0; start < n; start += CHUNK_ROWS) {
                int count = Math.min(CHUNK_ROWS, n - start);
                try (NDManager local = parent.newSubManager()) {
                    NDArray x = local.create(Arrays.copyOfRange(rows, start * d, (start + count) * d), new Shape(count, d));
                    NDArray f = features.apply(x);
                    float[] values = f.toFloatArray();
                    long[] top = null;
                    int n2 = Math.min(topN, width);
                    if (topN > 0) {
                        NDList topK = f.topK(n2, -1, true, false);
                        top = topK.get(1).toLongArray();
                    }
                    for (int r = 0; r < count; r++) {
                        int t = Math.toIntExact(textIndex[start + r]);
                        if (t < 0 || t >= texts) {
                            throw new IllegalStateException(shards.folder() + ": row of text " + t + " but only " + texts
                                    + " texts were given");
                        }
                        p.accumulate(t, values, r * width, positions[start + r] >= lastPosition[t]);
                        lastPosition[t] = Math.max(lastPosition[t], positions[start + r]);
                        if (top != null) {
                            for (int j = 0; j < n2; j++) {
                                int latent = (int) top[r * n2 + j];
                                if (values[r * width + latent] > 0f) {
                                    p.topCounts[t][latent] += 1f;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (float[] m : p.max) {
            for (int j = 0; j < m.length; j++) {
                if (m[j] == Float.NEGATIVE_INFINITY) {
                    m[j] = 0f;   // a text without rows
                }
            }
        }
        return p;
    }

    private void accumulate(int t, float[] values, int offset, boolean isLast) {
        float[] s = sum[t];
        float[] m = max[t];
        for (int j = 0; j < width; j++) {
            float v = values[offset + j];
            s[j] += v;
            if (v > m[j]) {
                m[j] = v;
            }
        }
        if (isLast) {
            System.arraycopy(values, offset, last[t], 0, width);
        }
        tokens[t]++;
    }

    public int width() {
        return width;
    }

    public int texts() {
        return tokens.length;
    }

    /** Rows pooled over each text's tokens, binarised when {@code binarisation} is not null. */
    public FeatureMatrix matrix(Pooling pooling, Binarisation binarisation) {
        if (pooling == Pooling.TOP_N && topCounts == null) {
            throw new IllegalStateException("top-n counts were not accumulated (topN = 0)");
        }
        FeatureMatrix.Builder b = FeatureMatrix.builder(width);
        float[] row = new float[width];
        for (int t = 0; t < tokens.length; t++) {
            float[] source = switch (pooling) {
                case SUM, MEAN -> sum[t];
                case MAX -> max[t];
                case LAST -> last[t];
                case TOP_N -> topCounts[t];
            };
            float scale = pooling == Pooling.MEAN && tokens[t] > 0 ? 1f / tokens[t] : 1f;
            for (int j = 0; j < width; j++) {
                float v = source[j] * scale;
                row[j] = binarisation == null ? v : binarisation.apply(v);
            }
            b.addDense(row);
        }
        return b.build();
    }

    /** The n of the top-n counts (0 when not accumulated). */
    public int topN() {
        return topN;
    }
}
