package dev.scalpel.interpret.probe;

import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.activations.ActivationStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.List;

/**
 * MOSAIC's features: every token's activation at the hook encoded by a sparse autoencoder ({@code [T, d_sae]}), pooled
 * over the text's tokens ({@link TokenPooling}) and, optionally, binarized ({@link Binarization}). Encoding and
 * pooling run on the device; only the pooled rows come back, and only their non-zero entries are kept, so 16k-wide
 * features of thousands of texts fit in memory.
 *
 * <p>Padded and uncounted tokens are encoded too (the batch is rectangular) but the pooling mask ignores them. A batch
 * is encoded in chunks of rows so that no intermediate exceeds {@value #MAX_CHUNK_ELEMENTS} floats.
 */
public final class SaeFeatures implements HookActivations.Consumer {
    /** About 256 MB of float32 per intermediate {@code [rows, T, d_sae]}. */
    public static final long MAX_CHUNK_ELEMENTS = 1L << 26;

    private final SparseAutoencoder sae;
    private final TokenPooling pooling;
    private final Binarization binarization;
    private final int texts;
    private final FeatureMatrix.Builder rows;

    /**
     * @param binarization null for none
     * @param texts how many texts will pass (rows of the matrix)
     */
    public SaeFeatures(SparseAutoencoder sae, TokenPooling pooling, Binarization binarization, int texts) {
        this.sae = sae;
        this.pooling = pooling;
        this.binarization = binarization;
        this.texts = texts;
        this.rows = FeatureMatrix.builder(sae.dSae());
    }

    public TokenPooling pooling() {
        return pooling;
    }

    /** Null when the features are not binarized. */
    public Binarization binarization() {
        return binarization;
    }

    @Override
    public void accept(int[] batch, NDArray activations, NDArray mask) {
        Shape s = activations.getShape();
        int b = (int) s.get(0);
        int t = (int) s.get(1);
        int d = (int) s.get(2);
        if (d != sae.dIn()) {
            throw new ScalpelException("the SAE reads vectors of " + sae.dIn() + " but the hook gives " + d
                    + "; use the hook point the SAE was trained on"
                    + (sae.metadata().hookName().isEmpty() ? "" : " (" + sae.metadata().hookName() + ")"));
        }
        int chunk = (int) Math.max(1, Math.min(b, MAX_CHUNK_ELEMENTS / ((long) t * sae.dSae())));
        for (int from = 0; from < b; from += chunk) {
            int to = Math.min(b, from + chunk);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = activations.get("{}:{}", from, to);
                x = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
                x = x.toDevice(sae.wEnc().getDevice(), false);
                NDArray m = mask.get("{}:{}", from, to).toDevice(sae.wEnc().getDevice(), false);
                NDArray f = sae.encode(x.reshape(-1, d)).reshape(to - from, t, sae.dSae());
                NDArray pooled = pooling.pool(f, m);
                if (binarization != null) {
                    pooled = binarization.apply(pooled);
                }
                float[] values = pooled.toFloatArray();
                for (int r = from; r < to; r++) {
                    rows.putDense(batch[r], values, (r - from) * sae.dSae());
                }
            }
        }
    }

    /** The rows of every text that passed; an error if one did not. */
    public FeatureMatrix matrix() {
        if (rows.size() != texts) {
            throw new IllegalStateException("SAE features of " + rows.size() + " of " + texts + " texts; run every text first");
        }
        return rows.build();
    }

    /** Runs the model and the SAE over all texts on each call (trainRows is unused: nothing is learned). */
    public static FeatureExtractor extractor(HookActivations activations, SparseAutoencoder sae, TokenPooling pooling,
                                             Binarization binarization, ActivationStream.Progress progress) {
        return (List<String> all, int[] trainRows) -> {
            SaeFeatures f = new SaeFeatures(sae, pooling, binarization, all.size());
            activations.run(all, progress, f);
            return f.matrix();
        };
    }
}
