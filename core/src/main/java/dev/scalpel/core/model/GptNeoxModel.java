package dev.scalpel.core.model;

import static dev.scalpel.core.model.GptNeoxFamily.*;
import static dev.scalpel.core.model.HookNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.scalpel.core.hooks.Hooks;

/**
 * GPT-NeoX (transformers' GPTNeoXForCausalLM). Per block, with the parallel residual (Pythia's setting):
 * {@code x + attn(ln1(x)) + mlp(ln2(x))}; without it, {@code x' = x + attn(ln1(x)); x' + mlp(ln2(x'))}. The fused
 * q/k/v output is [B, S, H, 3 Dh], each head's q, k and v side by side; rotary positions turn only the first
 * {@code rotaryDims} of each head's dimensions.
 */
public final class GptNeoxModel extends TransformerModel {
    private final float[] invFreq;
    private final int rotaryDims;
    private final boolean parallel;

    GptNeoxModel(ModelConfig config, Parameters params) {
        super(config, params);
        this.rotaryDims = GptNeoxFamily.rotaryDims(config);
        this.invFreq = config.rope().inverseFrequencies(rotaryDims);
        this.parallel = GptNeoxFamily.parallelResidual(config);
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        NDArray[] rotary = rotaryDims == 0 ? null : Attention.rotaryTables(pass.manager, pass.positions, invFreq, 1.0);
        double eps = config.normEps();
        NDArray x = hooks.at(EMBED, Gpt2Model.embed(pass.inputIds, weight(TOKEN_EMBEDDING)));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = layer(i);
            x = hooks.at(block(i, RESID_PRE), x);
            NDArray h = hooks.at(block(i, LN1), Layers.layerNorm(x, weight(w + INPUT_NORM), bias(w + INPUT_NORM), eps));
            NDArray attnOut = hooks.at(block(i, ATTN_OUT), selfAttention(i, h, pass, hooks, rotary));
            NDArray mlpInput = x;
            if (!parallel) {
                x = hooks.at(block(i, RESID_MID), x.add(attnOut));
                mlpInput = x;
            }
            NDArray h2 = hooks.at(block(i, LN2), Layers.layerNorm(mlpInput, weight(w + POST_ATTENTION_NORM),
                    bias(w + POST_ATTENTION_NORM), eps));
            NDArray pre = hooks.at(block(i, MLP_PRE), linear(h2, w + MLP_UP));
            NDArray post = hooks.at(block(i, MLP_POST), Layers.activation(config.activation(), pre));
            NDArray mlpOut = hooks.at(block(i, MLP_OUT), linear(post, w + MLP_DOWN));
            // transformers adds mlp + attn first, then the residual: the same sum in the same order.
            x = hooks.at(block(i, RESID_POST), parallel ? mlpOut.add(attnOut).add(x) : x.add(mlpOut));
        }
        NDArray hidden = hooks.at(FINAL_NORM, Layers.layerNorm(x, weight(FINAL_NORM_MODULE), bias(FINAL_NORM_MODULE), eps));
        NDArray head = config.tiedEmbeddings() ? weight(TOKEN_EMBEDDING) : weight(LM_HEAD);
        NDArray logits = Layers.linear(pass.lastPositionOnly ? lastPosition(hidden) : hidden, head, null);
        return new ForwardResult(logits, hidden);
    }

    private NDArray selfAttention(int i, NDArray h, ForwardPass pass, Hooks hooks, NDArray[] rotary) {
        String w = layer(i);
        int heads = config.numHeads();
        int headDim = config.headDim();
        NDArray qkv = hooks.at(block(i, QKV), linear(h, w + QKV_PROJ));
        NDList parts = qkv.reshape(pass.batch, pass.queries, heads, 3L * headDim).split(3, 3);
        NDArray q = hooks.at(block(i, Q), parts.get(0)).swapAxes(1, 2);
        NDArray k = hooks.at(block(i, K), parts.get(1)).swapAxes(1, 2);
        NDArray v = hooks.at(block(i, V), parts.get(2)).swapAxes(1, 2);
        q = hooks.at(block(i, ROT_Q), partialRotary(q, rotary).swapAxes(1, 2)).swapAxes(1, 2);
        k = hooks.at(block(i, ROT_K), partialRotary(k, rotary).swapAxes(1, 2)).swapAxes(1, 2);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(i, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray z = Attention.attend(q, k, v, pass.mask(0), config.attentionScale(), 0, hooks, i);
        return linear(z, w + DENSE);
    }

    /** Rotary positions on the first rotaryDims of [B, H, S, Dh]; the rest pass through. */
    private NDArray partialRotary(NDArray x, NDArray[] rotary) {
        if (rotary == null) {
            return x;
        }
        if (rotaryDims == config.headDim()) {
            return Attention.applyRotary(x, rotary[0], rotary[1]);
        }
        NDArray turned = Attention.applyRotary(x.get("..., :{}", rotaryDims), rotary[0], rotary[1]);
        return NDArrays.concat(new NDList(turned, x.get("..., {}:", rotaryDims)), -1);
    }
}
