package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.hooks.Hooks;

/**
 * Scaled dot-product attention as transformers' eager implementation computes it, with the hook points of
 * TransformerLens: {@code attn.hook_attn_scores} (after scaling, soft-capping and masking), {@code attn.hook_pattern}
 * (softmax) and {@code attn.hook_z} ([B, Q, H, Dh], before the output projection).
 */
public final class Attention {
    /** transformers fills masked scores with the smallest float (not -inf), so fully masked rows stay finite. */
    static final float MASKED = -Float.MAX_VALUE;

    private Attention() {
    }

    /**
     * Attends {@code q} [B, H, Q, Dh] to {@code k}, {@code v} [B, H_kv, K, Dh] and returns [B, Q, H * Dh].
     *
     * @param mask additive mask broadcastable to [B, 1, Q, K], or null for none
     * @param softCap Gemma 2's attention soft-capping, or 0 for none
     * @param layer the block, whose attention hook points see the scores, pattern and z
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, double scaling, double softCap,
                                 Hooks hooks, int layer) {
        Shape qs = q.getShape();
        long batch = qs.get(0);
        long heads = qs.get(1);
        long queries = qs.get(2);
        long headDim = qs.get(3);
        k = repeatKv(k, heads);
        v = repeatKv(v, heads);
        NDArray scores = Scalars.mul(q.matMul(k.swapAxes(2, 3)), scaling);     // [B, H, Q, K]
        if (softCap > 0) {
            scores = Layers.softCap(scores, softCap);
        }
        if (mask != null) {
            scores = scores.add(mask);
        }
        scores = hooks.at(HookNames.block(layer, HookNames.ATTN_SCORES), scores);
        NDArray pattern = hooks.at(HookNames.block(layer, HookNames.PATTERN), scores.softmax(-1));
        NDArray z = pattern.matMul(v).swapAxes(1, 2);                  // [B, Q, H, Dh]
        z = hooks.at(HookNames.block(layer, HookNames.Z), z);
        return z.reshape(batch, queries, heads * headDim);
    }

    /** Grouped-query attention: each of the H_kv key/value heads serves H / H_kv query heads, in order. */
    static NDArray repeatKv(NDArray x, long heads) {
        Shape s = x.getShape();
        long kvHeads = s.get(1);
        if (kvHeads == heads) {
            return x;
        }
        long rep = heads / kvHeads;
        return x.expandDims(2).broadcast(new Shape(s.get(0), kvHeads, rep, s.get(2), s.get(3)))
                .reshape(s.get(0), heads, s.get(2), s.get(3));
    }

    /** [B, S, H * Dh] to [B, H, S, Dh]. */
    static NDArray splitHeads(NDArray x, long heads, long headDim) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, headDim).swapAxes(1, 2);
    }

    /**
     * The additive mask [B, 1, Q, K] for queries at cache positions {@code past .. past+Q-1} over keys {@code 0..K-1}:
     * a key is visible when it is not padding ({@code keyMask} row is 1, or keyMask is null), not in the future (if
     * causal), and, with a sliding window w, fewer than w positions back. Returns null when nothing is masked.
     */
    public static NDArray mask(NDManager manager, long[][] keyMask, int batch, int past, int queries, boolean causal,
                               int window) {
        int keys = past + queries;
        float[] m = new float[batch * queries * keys];
        boolean any = false;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < queries; i++) {
                int qPos = past + i;
                int base = (b * queries + i) * keys;
                for (int j = 0; j < keys; j++) {
                    boolean visible = (keyMask == null || keyMask[b][j] != 0)
                            && (!causal || j <= qPos)
                            && (window <= 0 || qPos - j < window);
                    if (!visible) {
                        m[base + j] = MASKED;
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        return OwnedArrays.of(manager, m, new Shape(batch, 1, queries, keys));
    }

    /** Rotates pairs (x_i, x_{i + d/2}) by the position's angles: transformers' rotate_half convention. */
    static NDArray applyRotary(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get("..., :{}", half);
        NDArray x2 = x.get("..., {}:", half);
        NDArray rotated = NDArrays.concat(new ai.djl.ndarray.NDList(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /**
     * cos and sin tables [B, 1, S, Dh] for integer positions [B, S]: angle = position * inv_freq, duplicated over both
     * halves as transformers does.
     */
    static NDArray[] rotaryTables(NDManager manager, long[][] positions, float[] invFreq, double attentionScaling) {
        int batch = positions.length;
        int seq = positions[0].length;
        int half = invFreq.length;
        int dim = half * 2;
        float[] cos = new float[batch * seq * dim];
        float[] sin = new float[batch * seq * dim];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                float p = positions[b][s];
                int base = (b * seq + s) * dim;
                for (int i = 0; i < half; i++) {
                    float angle = p * invFreq[i];   // float32 product, as transformers' matmul of [.,1] x [1,.]
                    float c = (float) (Math.cos(angle) * attentionScaling);
                    float sn = (float) (Math.sin(angle) * attentionScaling);
                    cos[base + i] = c;
                    cos[base + half + i] = c;
                    sin[base + i] = sn;
                    sin[base + half + i] = sn;
                }
            }
        }
        Shape shape = new Shape(batch, 1, seq, dim);
        return new NDArray[] {OwnedArrays.of(manager, cos, shape), OwnedArrays.of(manager, sin, shape)};
    }
}
