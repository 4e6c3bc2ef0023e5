package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT (transformers' BertModel / BertForMaskedLM): word + position + token-type embeddings, post-LayerNorm encoder
 * blocks with bidirectional attention over non-padding tokens, and, when the checkpoint has one, the masked-LM head tied
 * to the word embeddings. Hook names follow TransformerLens's HookedEncoder, where {@code hook_resid_post} is taken
 * before the block's closing LayerNorm and {@code hook_normalized_resid_post} is the block's output.
 */
public final class BertModel extends TransformerModel {
    private static final String[] LAYER_PARAMS = {
        "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
        "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
        "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
        "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
        "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias"};

    BertModel(ModelConfig config, Parameters params) {
        super(config, params);
    }

    /** Whether the checkpoint carries the masked-LM head (BertForMaskedLM) and so produces logits. */
    public boolean hasLanguageModelHead() {
        return params.contains("cls.predictions.transform.dense.weight");
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

        NDArray words = hooks.at("embed.hook_embed", Gpt2Model.embed(pass.inputIds, p("bert.embeddings.word_embeddings.weight")));
        NDArray typeEmb = hooks.at("embed.hook_token_type_embed",
                Gpt2Model.embed(types, p("bert.embeddings.token_type_embeddings.weight")));
        NDArray posEmb = hooks.at("embed.hook_pos_embed",
                Gpt2Model.embed(positions, p("bert.embeddings.position_embeddings.weight")));
        NDArray x = hooks.at("embed.ln.hook_normalized", Layers.layerNorm(words.add(typeEmb).add(posEmb),
                p("bert.embeddings.LayerNorm.weight"), p("bert.embeddings.LayerNorm.bias"), eps));

        NDArray mask = pass.mask(0);
        for (int i = 0; i < config.numLayers(); i++) {
            String w = "bert.encoder.layer." + i + ".";
            x = hooks.at(block(i, "hook_resid_pre"), x);
            NDArray q = Layers.linear(x, p(w + "attention.self.query.weight"), p(w + "attention.self.query.bias"));
            NDArray k = Layers.linear(x, p(w + "attention.self.key.weight"), p(w + "attention.self.key.bias"));
            NDArray v = Layers.linear(x, p(w + "attention.self.value.weight"), p(w + "attention.self.value.bias"));
            q = hooks.at(block(i, "attn.hook_q"), q.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            k = hooks.at(block(i, "attn.hook_k"), k.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            v = hooks.at(block(i, "attn.hook_v"), v.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
            NDArray z = Attention.attend(q, k, v, mask, config.attentionScale(), 0, hooks, block(i, ""));
            NDArray attnOut = hooks.at(block(i, "hook_attn_out"),
                    Layers.linear(z, p(w + "attention.output.dense.weight"), p(w + "attention.output.dense.bias")));
            NDArray mid = hooks.at(block(i, "hook_resid_mid"), x.add(attnOut));
            NDArray normedMid = hooks.at(block(i, "ln1.hook_normalized"), Layers.layerNorm(mid,
                    p(w + "attention.output.LayerNorm.weight"), p(w + "attention.output.LayerNorm.bias"), eps));
            NDArray pre = hooks.at(block(i, "mlp.hook_pre"),
                    Layers.linear(normedMid, p(w + "intermediate.dense.weight"), p(w + "intermediate.dense.bias")));
            NDArray post = hooks.at(block(i, "mlp.hook_post"), Layers.activation(config.activation(), pre));
            NDArray mlpOut = hooks.at(block(i, "hook_mlp_out"),
                    Layers.linear(post, p(w + "output.dense.weight"), p(w + "output.dense.bias")));
            NDArray resid = hooks.at(block(i, "hook_resid_post"), normedMid.add(mlpOut));
            x = hooks.at(block(i, "hook_normalized_resid_post"), Layers.layerNorm(resid,
                    p(w + "output.LayerNorm.weight"), p(w + "output.LayerNorm.bias"), eps));
        }
        NDArray logits = null;
        if (hasLanguageModelHead()) {
            NDArray h = pass.lastPositionOnly ? lastPosition(x) : x;
            NDArray t = Layers.linear(h, p("cls.predictions.transform.dense.weight"), p("cls.predictions.transform.dense.bias"));
            t = Layers.layerNorm(Layers.activation(config.activation(), t),
                    p("cls.predictions.transform.LayerNorm.weight"), p("cls.predictions.transform.LayerNorm.bias"), eps);
            NDArray decoder = config.tiedEmbeddings() ? p("bert.embeddings.word_embeddings.weight") : p("cls.predictions.decoder.weight");
            logits = Layers.linear(t, decoder, p("cls.predictions.bias"));
        }
        return new ForwardResult(logits, x);
    }

    @Override
    protected List<String> listHookPoints() {
        List<String> names = new ArrayList<>(List.of("embed.hook_embed", "embed.hook_token_type_embed",
                "embed.hook_pos_embed", "embed.ln.hook_normalized"));
        for (int i = 0; i < config.numLayers(); i++) {
            for (String point : List.of("hook_resid_pre", "attn.hook_q", "attn.hook_k", "attn.hook_v",
                    "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z", "hook_attn_out", "hook_resid_mid",
                    "ln1.hook_normalized", "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out", "hook_resid_post",
                    "hook_normalized_resid_post")) {
                names.add(block(i, point));
            }
        }
        return names;
    }

    @Override
    protected List<String> requiredParameters() {
        List<String> names = new ArrayList<>(List.of("bert.embeddings.word_embeddings.weight",
                "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
                "bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias"));
        for (int i = 0; i < config.numLayers(); i++) {
            for (String s : LAYER_PARAMS) {
                names.add("bert.encoder.layer." + i + "." + s);
            }
        }
        return names;
    }
}
