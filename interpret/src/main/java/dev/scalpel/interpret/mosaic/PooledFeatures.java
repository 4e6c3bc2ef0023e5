package dev.scalpel.interpret.mosaic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.activations.TokenRowPooler;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.probe.Binarization;
import dev.scalpel.interpret.probe.FeatureMatrix;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Per-text pooled features computed from harvested token rows, in one pass over the shards: every pooling of the MOSAIC
 * grid (sum, mean, max, last token, top-n counts) is accumulated at once by core's {@link TokenRowPooler}, so an SAE
 * encodes each token row exactly once and the model never runs again. Matrices for a pooling and an optional
 * binarization are then built on demand (one at a time, since sparse LIBLINEAR rows of 6,000 texts take hundreds of
 * megabytes).
 */
public final class PooledFeatures {
    /** The poolings MOSAIC's grid compares, in its order, with top-n counts of {@code topN} latents. */
    public static List<TokenPooling> grid(int topN) {
        return List.of(TokenPooling.SUM, TokenPooling.MEAN, TokenPooling.MAX, TokenPooling.LAST,
                TokenPooling.topNCount(topN));
    }

    private static final int CHUNK_ROWS = 2048;

    private final TokenRowPooler pooler;

    private PooledFeatures(TokenRowPooler pooler) {
        this.pooler = pooler;
    }

    /** Pools the SAE's features of every token row; {@code topN} 0 skips top-n counts. */
    public static PooledFeatures ofSae(ActivationShards shards, int texts, SparseAutoencoder sae, int topN) {
        return of(shards, texts, sae.dSae(), topN, sae.manager(), sae::encode);
    }

    /** Pools the activations themselves (the hidden-state baseline). */
    public static PooledFeatures ofActivations(ActivationShards shards, int texts, NDManager manager) {
        return of(shards, texts, shards.dimension(), 0, manager, x -> x);
    }

    /**
     * Pools the SAE's features of every token row after {@code map} takes it into the SAE's residual space: another
     * model's activations read by this model's SAE.
     */
    public static PooledFeatures ofMappedSae(ActivationShards shards, int texts, ResidualMap map, SparseAutoencoder sae,
                                             int topN) {
        UnaryOperator<NDArray> into = map.function(sae.manager());
        return of(shards, texts, sae.dSae(), topN, sae.manager(), x -> sae.encode(into.apply(x)));
    }

    /** Pools the activations after {@code map} (another model's hidden states in this model's residual space). */
    public static PooledFeatures ofMappedActivations(ActivationShards shards, int texts, ResidualMap map,
                                                     NDManager manager) {
        return of(shards, texts, map.output(), 0, manager, map.function(manager));
    }

    private static PooledFeatures of(ActivationShards shards, int texts, int width, int topN, NDManager parent,
                                     UnaryOperator<NDArray> features) {
        TokenRowPooler pooler = new TokenRowPooler(texts, width, topN);
        TokenPooling.TopNCount top = topN > 0 ? TokenPooling.topNCount(topN) : null;
        int d = shards.dimension();
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
                    float[] nth = top == null ? null : top.nthLargest(f).toFloatArray();
                    for (int r = 0; r < count; r++) {
                        int t = Math.toIntExact(textIndex[start + r]);
                        if (t < 0 || t >= texts) {
                            throw new IllegalStateException(shards.folder() + ": row of text " + t + " but only " + texts
                                    + " texts were given");
                        }
                        pooler.add(t, values, r * width, positions[start + r], nth == null ? 0f : nth[r]);
                    }
                }
            }
        }
        return new PooledFeatures(pooler);
    }

    public int width() {
        return pooler.width();
    }

    public int texts() {
        return pooler.texts();
    }

    /** Rows pooled over each text's tokens, binarized when {@code binarization} is not null. */
    public FeatureMatrix matrix(TokenPooling pooling, Binarization binarization) {
        FeatureMatrix.Builder b = FeatureMatrix.builder(width());
        float[] row = new float[width()];
        for (int t = 0; t < texts(); t++) {
            pooler.pooled(t, pooling, row);
            if (binarization != null) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = binarization.apply(row[j]);
                }
            }
            b.addDense(row);
        }
        return b.build();
    }

    /** The n of the top-n counts (0 when not accumulated). */
    public int topN() {
        return pooler.topN();
    }
}
