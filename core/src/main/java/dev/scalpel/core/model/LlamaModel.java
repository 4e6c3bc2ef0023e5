package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;
import static dev.scalpel.core.model.LlamaFamily.*;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;

/**
 * The Llama family (transformers' LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM): RMSNorm pre-norm blocks,
 * rotary positions (with llama3 scaling where configured), grouped-query attention, a gated SiLU MLP. Mistral adds a
 * sliding window to every layer; Qwen2 adds biases to q, k and v and may slide on some layers.
 */
public class LlamaModel extends TransformerModel {
    protected final float[] invFreq;

    LlamaModel(ModelConfig config, Parameters params) {
        super(config, params);
        this.invFreq = config.rope().inverseFrequencies(config.headDim());
    }

    /** The rotary inverse frequencies (transformers' {@code rotary_emb.inv_freq}). */
    public float[] inverseFrequencies() {
        return invFreq.clone();
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        NDArray[] rotary = Attention.rotaryTables(pass.manager, pass.positions, invFreq, 1.0);
        NDArray x = hooks.at(EMBED, Gpt2Model.embed(pass.inputIds, weight(TOKEN_EMBEDDING)));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = layer(i);
            x = hooks.at(block(i, RESID_PRE), x);
            NDArray h = hooks.at(block(i, LN1), norm(x, weight(w + INPUT_NORM)));
            NDArray attnOut = hooks.at(block(i, ATTN_OUT), selfAttention(i, h, pass, hooks, rotary));
            x = hooks.at(block(i, RESID_MID), x.add(attnOut));
            NDArray h2 = hooks.at(block(i, LN2), norm(x, weight(w + POST_ATTENTION_NORM)));
            NDArray mlpOut = hooks.at(block(i, MLP_OUT), gatedMlp(i, h2, hooks));
            x = hooks.at(block(i, RESID_POST), x.add(mlpOut));
        }
        NDArray hidden = hooks.at(FINAL_NORM, norm(x, weight(FINAL_NORM_MODULE)));
        return new ForwardResult(lmHead(pass, hidden), hidden);
    }

    protected NDArray norm(NDArray x, NDArray weight) {
        return Layers.rmsNorm(x, weight, config.normEps());
    }

    protected NDArray lmHead(ForwardPass pass, NDArray hidden) {
        NDArray head = config.tiedEmbeddings() ? weight(TOKEN_EMBEDDING) : weight(LM_HEAD);
        return Layers.linear(pass.lastPositionOnly ? lastPosition(hidden) : hidden, head, null);
    }

    /** Rotary grouped-query self-attention of layer {@code i}, through the output projection: [B, Q, D]. */
    protected NDArray selfAttention(int i, NDArray h, ForwardPass pass, Hooks hooks, NDArray[] rotary) {
        String w = layer(i);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        NDArray q = linear(h, w + Q_PROJ);
        NDArray k = linear(h, w + K_PROJ);
        NDArray v = linear(h, w + V_PROJ);
        q = hooks.at(block(i, Q), q.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
        k = hooks.at(block(i, K), k.reshape(pass.batch, pass.queries, kvHeads, headDim)).swapAxes(1, 2);
        v = hooks.at(block(i, V), v.reshape(pass.batch, pass.queries, kvHeads, headDim)).swapAxes(1, 2);
        // The rot hooks see [B, Q, H, Dh] like the others.
        q = hooks.at(block(i, ROT_Q), Attention.applyRotary(q, rotary[0], rotary[1]).swapAxes(1, 2)).swapAxes(1, 2);
        k = hooks.at(block(i, ROT_K), Attention.applyRotary(k, rotary[0], rotary[1]).swapAxes(1, 2)).swapAxes(1, 2);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(i, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray z = Attention.attend(q, k, v, pass.mask(config.slidingWindow(i)), config.attentionScale(),
                config.attentionSoftCap(), hooks, i);
        return linear(z, w + O_PROJ);
    }

    /** {@code down(act(gate(h)) * up(h))}: [B, Q, D]. */
    protected NDArray gatedMlp(int i, NDArray h, Hooks hooks) {
        String w = layer(i);
        NDArray gate = hooks.at(block(i, MLP_PRE), linear(h, w + GATE_PROJ));
        NDArray up = hooks.at(block(i, MLP_PRE_LINEAR), linear(h, w + UP_PROJ));
        NDArray post = hooks.at(block(i, MLP_POST), Layers.activation(config.activation(), gate).mul(up));
        return linear(post, w + DOWN_PROJ);
    }
}
