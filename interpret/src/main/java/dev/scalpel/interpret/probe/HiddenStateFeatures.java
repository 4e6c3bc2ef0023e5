package dev.scalpel.interpret.probe;

import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.activations.ActivationStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * The hidden-state baseline: a text's activations at the hook pooled into one dense vector, by default the last
 * token's for a causal model (the only position that has read the whole text) and the mean for an encoder. A probe on
 * SAE features is worth its extra machinery only if it does at least as well as this.
 *
 * <p>Use as a {@link HookActivations.Consumer} (to share a forward pass with other features), then read
 * {@link #matrix()}; or as a {@link FeatureExtractor} through {@link #extractor}.
 */
public final class HiddenStateFeatures implements HookActivations.Consumer {
    private final TokenPooling pooling;
    private final int texts;
    private FeatureMatrix.Builder rows;

    /** @param texts how many texts will pass (rows of the matrix) */
    public HiddenStateFeatures(TokenPooling pooling, int texts) {
        this.pooling = pooling;
        this.texts = texts;
    }

    /** LAST for causal models, MEAN for encoders. */
    public static TokenPooling defaultPooling(boolean causal) {
        return causal ? TokenPooling.LAST : TokenPooling.MEAN;
    }

    public TokenPooling pooling() {
        return pooling;
    }

    @Override
    public void accept(int[] batch, NDArray activations, NDArray mask) {
        int d = (int) activations.getShape().get(2);
        if (rows == null) {
            rows = FeatureMatrix.builder(d);
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = activations.getDataType() == DataType.FLOAT32 ? activations
                    : activations.toType(DataType.FLOAT32, false);
            float[] pooled = pooling.pool(x, mask).toFloatArray();
            for (int r = 0; r < batch.length; r++) {
                rows.putDense(batch[r], pooled, r * d);
            }
        }
    }

    /** The rows of every text that passed; an error if one did not. */
    public FeatureMatrix matrix() {
        if (rows == null || rows.size() != texts) {
            throw new IllegalStateException("hidden-state features of " + (rows == null ? 0 : rows.size()) + " of "
                    + texts + " texts; run every text first");
        }
        return rows.build();
    }

    /** Runs the model over all texts on each call (no training needed, so trainRows is unused). */
    public static FeatureExtractor extractor(HookActivations activations, TokenPooling pooling, ActivationStream.Progress progress) {
        return (List<String> all, int[] trainRows) -> {
            HiddenStateFeatures f = new HiddenStateFeatures(pooling, all.size());
            activations.run(all, progress, f);
            return f.matrix();
        };
    }
}
