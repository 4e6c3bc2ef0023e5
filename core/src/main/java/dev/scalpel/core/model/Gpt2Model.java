package dev.scalpel.core.model;

import static dev.scalpel.core.model.Gpt2Family.*;
import static dev.scalpel.core.model.HookNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.scalpel.core.hooks.Hooks;

/**
 * GPT-2 (transformers' GPT2LMHeadModel): learned positions, pre-LayerNorm blocks, Conv1D projections stored
 * [in, out], a fused q/k/v projection, and an LM head tied to the token embedding.
 */
public final class Gpt2Model extends TransformerModel {
    Gpt2Model(ModelConfig config, Parameters params) {
        super(config, params);
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        int heads = config.numHeads();
        int headDim = config.headDim();
        double eps = config.normEps();
        NDArray positions = OwnedArrays.of(pass.manager, flatten(pass.positions), new ai.djl.ndarray.types.Shape(pass.batch, pass.queries));

        NDArray tokens = hooks.at(EMBED, embed(pass.inputIds, weight(TOKEN_EMBEDDING)));   // [B, Q, D]
        NDArray learned = hooks.at(POS_EMBED, embed(positions, weight(POSITION_EMBEDDING)));
        NDArray x = tokens.add(learned);

        for (int i = 0; i < config.numLayers(); i++) {
            String w = Gpt2Family.layer(i);
            x = hooks.at(block(i, RESID_PRE), x);
            NDArray h = hooks.at(block(i, LN1), Layers.layerNorm(x, weight(w + LN_1), bias(w + LN_1), eps));
            NDList qkv = conv1d(h, w + C_ATTN).split(3, 2);
            NDArray q = hooks.at(block(i, Q), qkv.get(0).reshape(pass.batch, pass.queries, heads, headDim));
            NDArray k = hooks.at(block(i, K), qkv.get(1).reshape(pass.batch, pass.queries, heads, headDim));
            NDArray v = hooks.at(block(i, V), qkv.get(2).reshape(pass.batch, pass.queries, heads, headDim));
            q = q.swapAxes(1, 2);
            k = k.swapAxes(1, 2);
            v = v.swapAxes(1, 2);
            if (pass.cache != null) {
                NDArray[] kv = pass.cache.append(i, k, v);
                k = kv[0];
                v = kv[1];
            }
            NDArray z = Attention.attend(q, k, v, pass.mask(0), config.attentionScale(), 0, hooks, i);
            NDArray attnOut = hooks.at(block(i, ATTN_OUT), conv1d(z, w + ATTN_PROJ));
            x = hooks.at(block(i, RESID_MID), x.add(attnOut));

            NDArray h2 = hooks.at(block(i, LN2), Layers.layerNorm(x, weight(w + LN_2), bias(w + LN_2), eps));
            NDArray pre = hooks.at(block(i, MLP_PRE), conv1d(h2, w + MLP_FC));
            NDArray post = hooks.at(block(i, MLP_POST), Layers.activation(config.activation(), pre));
            NDArray mlpOut = hooks.at(block(i, MLP_OUT), conv1d(post, w + MLP_PROJ));
            x = hooks.at(block(i, RESID_POST), x.add(mlpOut));
        }
        NDArray hidden = hooks.at(FINAL_NORM, Layers.layerNorm(x, weight(FINAL_NORM_MODULE), bias(FINAL_NORM_MODULE), eps));
        NDArray head = config.tiedEmbeddings() ? weight(TOKEN_EMBEDDING) : weight(LM_HEAD);
        NDArray logits = Layers.linear(pass.lastPositionOnly ? lastPosition(hidden) : hidden, head, null);
        return new ForwardResult(logits, hidden);
    }

    static NDArray embed(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    static long[] flatten(long[][] rows) {
        int w = rows[0].length;
        long[] flat = new long[rows.length * w];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * w, w);
        }
        return flat;
    }
}
