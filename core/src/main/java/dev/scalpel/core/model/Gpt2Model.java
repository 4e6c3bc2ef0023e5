package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.scalpel.core.hooks.Hooks;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2 (transformers' GPT2LMHeadModel): learned positions, pre-LayerNorm blocks, Conv1D projections stored
 * [in, out], a fused q/k/v projection, and an LM head tied to the token embedding.
 */
public final class Gpt2Model extends TransformerModel {
    private static final String[] LAYER_PARAMS = {
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
        "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"};

    Gpt2Model(ModelConfig config, Parameters params) {
        super(config, params);
    }

    @Override
    ForwardResult compute(ForwardPass pass, Hooks hooks) {
        int d = config.hiddenSize();
        int heads = config.numHeads();
        int headDim = config.headDim();
        double eps = config.normEps();
        NDArray positions = OwnedArrays.of(pass.manager, flatten(pass.positions), new ai.djl.ndarray.types.Shape(pass.batch, pass.queries));

        NDArray tokens = hooks.at("hook_embed", embed(pass.inputIds, p("transformer.wte.weight")));   // [B, Q, D]
        NDArray learned = hooks.at("hook_pos_embed", embed(positions, p("transformer.wpe.weight")));
        NDArray x = tokens.add(learned);

        for (int i = 0; i < config.numLayers(); i++) {
            String w = "transformer.h." + i + ".";
            x = hooks.at(block(i, "hook_resid_pre"), x);
            NDArray h = hooks.at(block(i, "ln1.hook_normalized"),
                    Layers.layerNorm(x, p(w + "ln_1.weight"), p(w + "ln_1.bias"), eps));
            NDList qkv = Layers.conv1d(h, p(w + "attn.c_attn.weight"), p(w + "attn.c_attn.bias")).split(3, 2);
            NDArray q = hooks.at(block(i, "attn.hook_q"), qkv.get(0).reshape(pass.batch, pass.queries, heads, headDim));
            NDArray k = hooks.at(block(i, "attn.hook_k"), qkv.get(1).reshape(pass.batch, pass.queries, heads, headDim));
            NDArray v = hooks.at(block(i, "attn.hook_v"), qkv.get(2).reshape(pass.batch, pass.queries, heads, headDim));
            q = q.swapAxes(1, 2);
            k = k.swapAxes(1, 2);
            v = v.swapAxes(1, 2);
            if (pass.cache != null) {
                NDArray[] kv = pass.cache.append(i, k, v);
                k = kv[0];
                v = kv[1];
            }
            NDArray z = Attention.attend(q, k, v, pass.mask(0), config.attentionScale(), 0, hooks, block(i, ""));
            NDArray attnOut = hooks.at(block(i, "hook_attn_out"),
                    Layers.conv1d(z, p(w + "attn.c_proj.weight"), p(w + "attn.c_proj.bias")));
            x = hooks.at(block(i, "hook_resid_mid"), x.add(attnOut));

            NDArray h2 = hooks.at(block(i, "ln2.hook_normalized"),
                    Layers.layerNorm(x, p(w + "ln_2.weight"), p(w + "ln_2.bias"), eps));
            NDArray pre = hooks.at(block(i, "mlp.hook_pre"), Layers.conv1d(h2, p(w + "mlp.c_fc.weight"), p(w + "mlp.c_fc.bias")));
            NDArray post = hooks.at(block(i, "mlp.hook_post"), Layers.activation(config.activation(), pre));
            NDArray mlpOut = hooks.at(block(i, "hook_mlp_out"),
                    Layers.conv1d(post, p(w + "mlp.c_proj.weight"), p(w + "mlp.c_proj.bias")));
            x = hooks.at(block(i, "hook_resid_post"), x.add(mlpOut));
        }
        NDArray hidden = hooks.at("ln_final.hook_normalized",
                Layers.layerNorm(x, p("transformer.ln_f.weight"), p("transformer.ln_f.bias"), eps));
        NDArray head = config.tiedEmbeddings() ? p("transformer.wte.weight") : p("lm_head.weight");
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

    @Override
    protected List<String> listHookPoints() {
        List<String> names = new ArrayList<>(List.of("hook_embed", "hook_pos_embed"));
        for (int i = 0; i < config.numLayers(); i++) {
            for (String point : List.of("hook_resid_pre", "ln1.hook_normalized", "attn.hook_q", "attn.hook_k",
                    "attn.hook_v", "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z", "hook_attn_out",
                    "hook_resid_mid", "ln2.hook_normalized", "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out",
                    "hook_resid_post")) {
                names.add(block(i, point));
            }
        }
        names.add("ln_final.hook_normalized");
        return names;
    }

    @Override
    protected List<String> requiredParameters() {
        List<String> names = new ArrayList<>(List.of("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.ln_f.weight", "transformer.ln_f.bias"));
        for (int i = 0; i < config.numLayers(); i++) {
            for (String s : LAYER_PARAMS) {
                names.add("transformer.h." + i + "." + s);
            }
        }
        if (!config.tiedEmbeddings()) {
            names.add("lm_head.weight");
        }
        return names;
    }
}
