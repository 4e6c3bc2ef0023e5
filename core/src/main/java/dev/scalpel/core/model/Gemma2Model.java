package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;
import java.util.ArrayList;
import java.util.List;

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
        NDArray embedded = Gpt2Model.embed(pass.inputIds, p("model.embed_tokens.weight"));
        // transformers multiplies by sqrt(d) rounded to the compute dtype first.
        float normalizer = (float) Math.sqrt(config.hiddenSize());
        NDArray x = hooks.at("hook_embed", Scalars.mul(embedded, normalizer));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = "model.layers." + i + ".";
            x = hooks.at(block(i, "hook_resid_pre"), x);
            NDArray h = hooks.at(block(i, "ln1.hook_normalized"), norm(x, p(w + "input_layernorm.weight")));
            NDArray attn = selfAttention(i, h, pass, hooks, rotary);
            NDArray attnOut = hooks.at(block(i, "hook_attn_out"),
                    hooks.at(block(i, "ln1_post.hook_normalized"), norm(attn, p(w + "post_attention_layernorm.weight"))));
            x = hooks.at(block(i, "hook_resid_mid"), x.add(attnOut));
            NDArray h2 = hooks.at(block(i, "ln2.hook_normalized"), norm(x, p(w + "pre_feedforward_layernorm.weight")));
            NDArray mlp = gatedMlp(i, h2, hooks);
            NDArray mlpOut = hooks.at(block(i, "hook_mlp_out"),
                    hooks.at(block(i, "ln2_post.hook_normalized"), norm(mlp, p(w + "post_feedforward_layernorm.weight"))));
            x = hooks.at(block(i, "hook_resid_post"), x.add(mlpOut));
        }
        NDArray hidden = hooks.at("ln_final.hook_normalized", norm(x, p("model.norm.weight")));
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

    @Override
    protected List<String> layerHookPoints() {
        List<String> points = new ArrayList<>(super.layerHookPoints());
        points.add(points.indexOf("hook_attn_out"), "ln1_post.hook_normalized");
        points.add(points.indexOf("hook_mlp_out"), "ln2_post.hook_normalized");
        return points;
    }

    @Override
    protected List<String> layerParameters() {
        List<String> names = new ArrayList<>(super.layerParameters());
        names.add("pre_feedforward_layernorm.weight");
        names.add("post_feedforward_layernorm.weight");
        return names;
    }
}
