package dev.scalpel.core.model;

import static dev.scalpel.core.model.Gemma2Family.*;
import static dev.scalpel.core.model.HookNames.*;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;

/**
 * Gemma 2 (transformers' Gemma2ForCausalLM): the Llama block with (1 + w) RMSNorm, a norm before and after both
 * attention and MLP ("sandwich"), embeddings scaled by sqrt(d), attention scaled by query_pre_attn_scalar^-0.5,
 * soft-capped attention scores and logits, and layers that alternate sliding-window and global attention.
 */
public final class Gemma2Model extends LlamaModel {
    Gemma2Model(ModelConfig config, Parameters params) {
        super(config, params);
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        NDArray[] rotary = Attention.rotaryTables(pass.manager, pass.positions, invFreq, 1.0);
        NDArray embedded = Gpt2Model.embed(pass.inputIds, weight(TOKEN_EMBEDDING));
        // transformers multiplies by sqrt(d) rounded to the compute dtype first.
        float normalizer = (float) Math.sqrt(config.hiddenSize());
        NDArray x = hooks.at(EMBED, Scalars.mul(embedded, normalizer));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = layer(i);
            x = hooks.at(block(i, RESID_PRE), x);
            NDArray h = hooks.at(block(i, LN1), norm(x, weight(w + INPUT_NORM)));
            NDArray attn = hooks.at(block(i, ATTN_PROJECTION), selfAttention(i, h, pass, hooks, rotary));
            NDArray attnOut = hooks.at(block(i, ATTN_OUT),
                    hooks.at(block(i, LN1_POST), norm(attn, weight(w + POST_ATTENTION_NORM))));
            x = hooks.at(block(i, RESID_MID), x.add(attnOut));
            NDArray h2 = hooks.at(block(i, LN2), norm(x, weight(w + PRE_FEEDFORWARD_NORM)));
            NDArray mlp = hooks.at(block(i, MLP_PROJECTION), gatedMlp(i, h2, hooks));
            NDArray mlpOut = hooks.at(block(i, MLP_OUT),
                    hooks.at(block(i, LN2_POST), norm(mlp, weight(w + POST_FEEDFORWARD_NORM))));
            x = hooks.at(block(i, RESID_POST), x.add(mlpOut));
        }
        NDArray hidden = hooks.at(FINAL_NORM, norm(x, weight(FINAL_NORM_MODULE)));
        NDArray logits = lmHead(pass, hidden);
        if (config.finalSoftCap() > 0) {
            logits = Layers.softCap(logits, config.finalSoftCap());
        }
        return new ForwardResult(logits, hidden);
    }

    @Override
    protected NDArray norm(NDArray x, NDArray weight) {
        return Layers.rmsNormOnePlus(x, weight, config.normEps());
    }
}
