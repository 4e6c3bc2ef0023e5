package dev.scalpel.interpret.sae;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * A sparse autoencoder in SAELens's convention: {@code W_enc [d_in, d_sae]}, {@code W_dec [d_sae, d_in]},
 * {@code b_enc [d_sae]}, {@code b_dec [d_in]}, and for JumpReLU a {@code threshold [d_sae]}. All float32, all owned by
 * this object's manager; inputs are rows {@code x [n, d_in]}.
 *
 * <p>encode: pre = (x - b_dec if applyBDecToInput else x) W_enc + b_enc, then STANDARD: ReLU(pre); TOPK: ReLU of the k
 * largest pre-activations per row, zeros elsewhere; JUMPRELU: pre * 1[pre > threshold] (ReLU first). decode:
 * x_hat = f W_dec + b_dec. Activation normalization other than none is refused on load, so x is used as given.
 */
public final class SparseAutoencoder implements AutoCloseable {
    private final SaeArchitecture architecture;
    private final int dIn;
    private final int dSae;
    private final int k;
    private final boolean applyBDecToInput;
    private final SaeMetadata metadata;
    private final NDManager manager;
    private final NDArray wEnc;
    private final NDArray wDec;
    private final NDArray bEnc;
    private final NDArray bDec;
    private final NDArray threshold;

    /**
     * Takes ownership of the arrays (they are attached to {@code manager}, which this object closes).
     *
     * @param k TopK's k (ignored otherwise, pass 0)
     * @param threshold JumpReLU's thresholds (null otherwise)
     */
    public SparseAutoencoder(SaeArchitecture architecture, int k, boolean applyBDecToInput, SaeMetadata metadata,
                             NDManager manager, NDArray wEnc, NDArray wDec, NDArray bEnc, NDArray bDec, NDArray threshold) {
        this.architecture = Objects.requireNonNull(architecture);
        this.manager = manager;
        this.wEnc = own(wEnc, "W_enc");
        this.wDec = own(wDec, "W_dec");
        this.bEnc = own(bEnc, "b_enc");
        this.bDec = own(bDec, "b_dec");
        this.threshold = threshold == null ? null : own(threshold, "threshold");
        this.dIn = Math.toIntExact(wEnc.getShape().get(0));
        this.dSae = Math.toIntExact(wEnc.getShape().get(1));
        this.k = k;
        this.applyBDecToInput = applyBDecToInput;
        this.metadata = metadata == null ? SaeMetadata.unknown() : metadata;
        checkShape(this.wDec, "W_dec", dSae, dIn);
        checkShape(this.bEnc, "b_enc", dSae);
        checkShape(this.bDec, "b_dec", dIn);
        if (architecture == SaeArchitecture.JUMPRELU) {
            if (this.threshold == null) {
                throw new IllegalArgumentException("a JumpReLU SAE needs a threshold [d_sae]");
            }
            checkShape(this.threshold, "threshold", dSae);
        }
        if (architecture == SaeArchitecture.TOPK && (k <= 0 || k > dSae)) {
            throw new IllegalArgumentException("a TopK SAE needs 0 < k <= d_sae, got k=" + k + " with d_sae=" + dSae);
        }
    }

    private NDArray own(NDArray a, String name) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        f.attach(manager);
        f.setName(name);
        return f;
    }

    private static void checkShape(NDArray a, String name, long... dims) {
        long[] s = a.getShape().getShape();
        if (!java.util.Arrays.equals(s, dims)) {
            throw new IllegalArgumentException(name + " has shape " + a.getShape() + ", expected "
                    + new ai.djl.ndarray.types.Shape(dims));
        }
    }

    public SaeArchitecture architecture() {
        return architecture;
    }

    public int dIn() {
        return dIn;
    }

    public int dSae() {
        return dSae;
    }

    /** TopK's k; 0 for the other architectures. */
    public int k() {
        return architecture == SaeArchitecture.TOPK ? k : 0;
    }

    public boolean applyBDecToInput() {
        return applyBDecToInput;
    }

    public SaeMetadata metadata() {
        return metadata;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray wEnc() {
        return wEnc;
    }

    public NDArray wDec() {
        return wDec;
    }

    public NDArray bEnc() {
        return bEnc;
    }

    public NDArray bDec() {
        return bDec;
    }

    /** JumpReLU thresholds, or null. */
    public NDArray threshold() {
        return threshold;
    }

    /** Pre-activations {@code [n, d_sae]} of rows {@code x [n, d_in]}. */
    public NDArray preActivations(NDArray x) {
        NDArray in = applyBDecToInput ? x.sub(bDec) : x;
        return in.matMul(wEnc).add(bEnc);
    }

    /** Feature activations {@code f [n, d_sae]} of rows {@code x [n, d_in]}. */
    public NDArray encode(NDArray x) {
        return activate(preActivations(x));
    }

    /** The architecture's nonlinearity applied to pre-activations. */
    public NDArray activate(NDArray pre) {
        NDArray relu = Scalars.maximum(pre, 0f);
        return switch (architecture) {
            case STANDARD -> relu;
            case JUMPRELU -> relu.mul(pre.gt(threshold).toType(DataType.FLOAT32, false));
            case TOPK -> topK(relu);
        };
    }

    /** Keeps each row's k largest entries, zeros elsewhere (entries tied with the k-th all stay: rare in float data). */
    private NDArray topK(NDArray relu) {
        NDArray kth = relu.topK(k, -1, true, true).get(0).get(":, -1:");
        return relu.mul(relu.gte(kth).toType(DataType.FLOAT32, false));
    }

    /** Reconstruction {@code x_hat [n, d_in]} of features {@code f [n, d_sae]}. */
    public NDArray decode(NDArray f) {
        return f.matMul(wDec).add(bDec);
    }

    @Override
    public void close() {
        manager.close();
    }
}
