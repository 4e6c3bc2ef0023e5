package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.hooks.Hooks;
import java.util.ArrayList;
import java.util.List;

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
        NDArray x = hooks.at("hook_embed", Gpt2Model.embed(pass.inputIds, p("model.embed_tokens.weight")));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = "model.layers." + i + ".";
            x = hooks.at(block(i, "hook_resid_pre"), x);
            NDArray h = hooks.at(block(i, "ln1.hook_normalized"), norm(x, p(w + "input_layernorm.weight")));
            NDArray attnOut = hooks.at(block(i, "hook_attn_out"), selfAttention(i, h, pass, hooks, rotary));
            x = hooks.at(block(i, "hook_resid_mid"), x.add(attnOut));
            NDArray h2 = hooks.at(block(i, "ln2.hook_normalized"), norm(x, p(w + "post_attention_layernorm.weight")));
            NDArray mlpOut = hooks.at(block(i, "hook_mlp_out"), gatedMlp(i, h2, hooks));
            x = hooks.at(block(i, "hook_resid_post"), x.add(mlpOut));
        }
        NDArray hidden = hooks.at("ln_final.hook_normalized", norm(x, p("model.norm.weight")));
        return new ForwardResult(lmHead(pass, hidden), hidden);
    }

    protected NDArray norm(NDArray x, NDArray weight) {
        return Layers.rmsNorm(x, weight, config.normEps());
    }

    protected NDArray lmHead(ForwardPass pass, NDArray hidden) {
        NDArray head = config.tiedEmbeddings() ? p("model.embed_tokens.weight") : p("lm_head.weight");
        return Layers.linear(pass.lastPositionOnly ? lastPosition(hidden) : hidden, head, null);
    }

    /** Rotary grouped-query self-attention of layer {@code i}, through the output projection: [B, Q, D]. */
    protected NDArray selfAttention(int i, NDArray h, ForwardPass pass, Hooks hooks, NDArray[] rotary) {
        String w = "model.layers." + i + ".self_attn.";
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        NDArray q = Layers.linear(h, p(w + "q_proj.weight"), optional(w + "q_proj.bias"));
        NDArray k = Layers.linear(h, p(w + "k_proj.weight"), optional(w + "k_proj.bias"));
        NDArray v = Layers.linear(h, p(w + "v_proj.weight"), optional(w + "v_proj.bias"));
        q = hooks.at(block(i, "attn.hook_q"), q.reshape(pass.batch, pass.queries, heads, headDim)).swapAxes(1, 2);
        k = hooks.at(block(i, "attn.hook_k"), k.reshape(pass.batch, pass.queries, kvHeads, headDim)).swapAxes(1, 2);
        v = hooks.at(block(i, "attn.hook_v"), v.reshape(pass.batch, pass.queries, kvHeads, headDim)).swapAxes(1, 2);
        // The rot hooks see [B, Q, H, Dh] like the others.
        q = hooks.at(block(i, "attn.hook_rot_q"), Attention.applyRotary(q, rotary[0], rotary[1]).swapAxes(1, 2)).swapAxes(1, 2);
        k = hooks.at(block(i, "attn.hook_rot_k"), Attention.applyRotary(k, rotary[0], rotary[1]).swapAxes(1, 2)).swapAxes(1, 2);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(i, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray z = Attention.attend(q, k, v, pass.mask(config.slidingWindow(i)), config.attentionScale(),
                config.attentionSoftCap(), hooks, block(i, ""));
        return Layers.linear(z, p(w + "o_proj.weight"), optional(w + "o_proj.bias"));
    }

    /** {@code down(act(gate(h)) * up(h))}: [B, Q, D]. */
    protected NDArray gatedMlp(int i, NDArray h, Hooks hooks) {
        String w = "model.layers." + i + ".mlp.";
        NDArray gate = hooks.at(block(i, "mlp.hook_pre"), Layers.linear(h, p(w + "gate_proj.weight"), optional(w + "gate_proj.bias")));
        NDArray up = hooks.at(block(i, "mlp.hook_pre_linear"), Layers.linear(h, p(w + "up_proj.weight"), optional(w + "up_proj.bias")));
        NDArray post = hooks.at(block(i, "mlp.hook_post"), Layers.activation(config.activation(), gate).mul(up));
        return Layers.linear(post, p(w + "down_proj.weight"), optional(w + "down_proj.bias"));
    }

    @Override
    protected List<String> listHookPoints() {
        List<String> names = new ArrayList<>(List.of("hook_embed"));
        for (int i = 0; i < config.numLayers(); i++) {
            for (String point : layerHookPoints()) {
                names.add(block(i, point));
            }
        }
        names.add("ln_final.hook_normalized");
        return names;
    }

    protected List<String> layerHookPoints() {
        return List.of("hook_resid_pre", "ln1.hook_normalized", "attn.hook_q", "attn.hook_k", "attn.hook_v",
                "attn.hook_rot_q", "attn.hook_rot_k", "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z",
                "hook_attn_out", "hook_resid_mid", "ln2.hook_normalized", "mlp.hook_pre", "mlp.hook_pre_linear",
                "mlp.hook_post", "hook_mlp_out", "hook_resid_post");
    }

    @Override
    protected List<String> requiredParameters() {
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight", "model.norm.weight"));
        for (int i = 0; i < config.numLayers(); i++) {
            String w = "model.layers." + i + ".";
            for (String s : layerParameters()) {
                names.add(w + s);
            }
            if (config.qkvBias()) {
                for (String s : List.of("q_proj.bias", "k_proj.bias", "v_proj.bias")) {
                    names.add(w + "self_attn." + s);
                }
            }
        }
        if (!config.tiedEmbeddings()) {
            names.add("lm_head.weight");
        }
        return names;
    }

    protected List<String> layerParameters() {
        return List.of("input_layernorm.weight", "post_attention_layernorm.weight", "self_attn.q_proj.weight",
                "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight", "mlp.gate_proj.weight",
                "mlp.up_proj.weight", "mlp.down_proj.weight");
    }
}
