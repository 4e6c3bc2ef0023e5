package dev.scalpel.core.model;

import static dev.scalpel.core.model.BertFamily.*;
import static dev.scalpel.core.model.HookNames.*;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;

/**
 * BERT (transformers' BertModel / BertForMaskedLM): word + position + token-type embeddings, post-LayerNorm encoder
 * blocks with bidirectional attention over non-padding tokens, and, when the checkpoint has one, the masked-LM head tied
 * to the word embeddings. Hook names follow TransformerLens's HookedEncoder, where {@code hook_resid_post} is taken
 * before the block's closing LayerNorm and {@code hook_normalized_resid_post} is the block's output.
 */
public final class BertModel extends TransformerModel {
    BertModel(ModelConfig config, Parameters params) {
        super(config, params);
    }

    /** Whether the checkpoint carries the masked-LM head (BertForMaskedLM) and so produces logits. */
    public boolean hasLanguageModelHead() {
        return params.contains(HEAD_TRANSFORM + ".weight");
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        double eps = config.normEps();
        int heads = config.numHeads();
        int headDim = config.headDim();
        NDArray positions = OwnedArrays.of(pass.manager, Gpt2Model.flatten(pass.positions), new ai.djl.ndarray.types.Shape(pass.batch, pass.queries));
        NDArray types = pass.tokenTypeIds != null
                ? pass.tokenTypeIds.toType(ai.djl.ndarray.types.DataType.INT64, false)
                : pass.manager.zeros(new ai.djl.ndarray.types.Shape(pass.batch, pass.queries), ai.djl.ndarray.types.DataType.INT64);

        NDArray words = hooks.at(BERT_WORD_EMBED, Gpt2Model.embed(pass.inputIds, weight(WORD_EMBEDDING)));
        NDArray typeEmb = hooks.at(BERT_TOKEN_TYPE_EMBED, Gpt2Model.embed(types, weight(TOKEN_TYPE_EMBEDDING)));
        NDArray posEmb = hooks.at(BERT_POS_EMBED, Gpt2Model.embed(positions, weight(POSITION_EMBEDDING)));
        NDArray x = hooks.at(BERT_EMBED_NORM, Layers.layerNorm(words.add(typeEmb).add(posEmb),
                weight(EMBEDDING_NORM), bias(EMBEDDING_NORM), eps));

        NDArray mask = pass.mask(0);
        for (int i = 0; i < config.numLayers(); i++) {
            String w = layer(i);
            x = hooks.at(block(i, RESID_PRE), x);
            NDArray q = linear(x, w + QUERY);
            NDArray k = linear(x, w + KEY);
            NDArray v = linear(x, w + VALUE);
            q = hooks.at(block(i, Q), q.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            k = hooks.at(block(i, K), k.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            v = hooks.at(block(i, V), v.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            NDArray z = Attention.attend(q, k, v, mask, config.attentionScale(), 0, hooks, i);
            NDArray attnOut = hooks.at(block(i, ATTN_OUT), linear(z, w + ATTENTION_OUTPUT));
            NDArray mid = hooks.at(block(i, RESID_MID), x.add(attnOut));
            NDArray normedMid = hooks.at(block(i, LN1), Layers.layerNorm(mid, weight(w + ATTENTION_NORM), bias(w + ATTENTION_NORM), eps));
            NDArray pre = hooks.at(block(i, MLP_PRE), linear(normedMid, w + INTERMEDIATE));
            NDArray post = hooks.at(block(i, MLP_POST), Layers.activation(config.activation(), pre));
            NDArray mlpOut = hooks.at(block(i, MLP_OUT), linear(post, w + OUTPUT));
            NDArray resid = hooks.at(block(i, RESID_POST), normedMid.add(mlpOut));
            x = hooks.at(block(i, NORMALIZED_RESID_POST), Layers.layerNorm(resid, weight(w + OUTPUT_NORM), bias(w + OUTPUT_NORM), eps));
        }
        NDArray logits = null;
        if (hasLanguageModelHead()) {
            NDArray h = pass.lastPositionOnly ? lastPosition(x) : x;
            NDArray t = linear(h, HEAD_TRANSFORM);
            t = Layers.layerNorm(Layers.activation(config.activation(), t), weight(HEAD_NORM), bias(HEAD_NORM), eps);
            NDArray decoder = config.tiedEmbeddings() ? weight(WORD_EMBEDDING) : weight(HEAD_DECODER);
            logits = Layers.linear(t, decoder, p(HEAD_BIAS));
        }
        return new ForwardResult(logits, x);
    }
}
