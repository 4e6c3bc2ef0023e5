package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * The functional building blocks the architectures share, each written to match the arithmetic of the corresponding
 * transformers module. Every op takes the activation as its receiver, so results belong to the activation's manager
 * (the forward pass's scope), never to the long-lived weight manager.
 */
public final class Layers {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Layers() {
    }

    /** nn.Linear: {@code x W^T + b}, W stored [out, in]. {@code bias} may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null
                ? Linear.linear(x, weight).singletonOrThrow()
                : Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** GPT-2's Conv1D: {@code x W + b}, W stored [in, out]. */
    public static NDArray conv1d(NDArray x, NDArray weight, NDArray bias) {
        return x.matMul(weight).add(bias);
    }

    /** nn.LayerNorm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        return LayerNorm.layerNorm(x, new Shape(d), weight, bias, (float) eps).singletonOrThrow();
    }

    /** Llama's RMSNorm: {@code w * x / sqrt(mean(x^2) + eps)}. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        return normalizeRms(x, eps).mul(weight);
    }

    /** Gemma's RMSNorm, whose weight is stored as an offset from one: {@code x / rms(x) * (1 + w)}. */
    public static NDArray rmsNormOnePlus(NDArray x, NDArray weight, double eps) {
        NDArray normed = normalizeRms(x, eps);
        NDArray onePlusW = OwnedArrays.scalar(normed.getManager(), 1f).add(weight);
        return normed.mul(onePlusW);
    }

    private static NDArray normalizeRms(NDArray x, double eps) {
        // pow(-0.5) dispatches to torch's rsqrt, as transformers' RMSNorm uses.
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.mul(Scalars.pow(variance.add(eps), -0.5));
    }

    /** The tanh approximation of GELU (GPT-2's gelu_new, Gemma's gelu_pytorch_tanh). */
    public static NDArray geluTanh(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return Scalars.mul(x, 0.5).mul(inner.tanh().add(1));
    }

    /** The exact (erf) GELU of BERT. */
    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** SiLU (swish): {@code x * sigmoid(x)}. */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** CLIP's quick GELU: {@code x * sigmoid(1.702 x)}. */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(Activation.sigmoid(Scalars.mul(x, 1.702)));
    }

    /** The activation a config names ({@code hidden_act}, {@code activation_function}, {@code hidden_activation}). */
    public static NDArray activation(String name, NDArray x) {
        return switch (name) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_tanh" -> geluTanh(x);
            case "gelu" -> gelu(x);
            case "silu", "swish" -> silu(x);
            case "relu" -> Activation.relu(x);
            case "quick_gelu" -> quickGelu(x);
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }

    /** Whether {@link #activation} knows {@code name}. */
    public static boolean isSupportedActivation(String name) {
        return switch (name) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_tanh", "gelu", "silu", "swish", "relu", "quick_gelu" -> true;
            default -> false;
        };
    }

    /** {@code cap * tanh(x / cap)}: Gemma 2's soft-capping of attention scores and logits. */
    public static NDArray softCap(NDArray x, double cap) {
        return Scalars.mul(Scalars.div(x, cap).tanh(), cap);
    }
}
