package dev.scalpel.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters an architecture has, by Hugging Face name, with their shapes and how transformers initializes them.
 * Used to create models from a configuration alone (benchmarks, the lab's models before training).
 */
public final class ParameterLayout {
    /** How a parameter starts: N(0, initializer_range) for weights, zeros for biases, ones (or zeros) for norms. */
    public enum Init { NORMAL, ZEROS, ONES }

    /** One parameter's shape and initialization; {@code scale} multiplies the normal's standard deviation. */
    public record Entry(long[] shape, Init init, double scale) {
    }

    private ParameterLayout() {
    }

    public static Map<String, Entry> of(ModelConfig c) {
        Map<String, Entry> p = new LinkedHashMap<>();
        switch (c.architecture()) {
            case GPT2 -> gpt2(c, p);
            case LLAMA, MISTRAL, QWEN2, GEMMA2 -> llamaFamily(c, p);
            case BERT -> bert(c, p);
        }
        return p;
    }

    private static void gpt2(ModelConfig c, Map<String, Entry> p) {
        long d = c.hiddenSize();
        long inner = c.intermediateSize();
        // GPT-2 scales the residual projections by 1/sqrt(2 n_layer) at initialization.
        double residual = 1.0 / Math.sqrt(2.0 * c.numLayers());
        p.put("transformer.wte.weight", normal(c.vocabSize(), d));
        p.put("transformer.wpe.weight", normal(c.maxPositions(), d));
        for (int i = 0; i < c.numLayers(); i++) {
            String w = "transformer.h." + i + ".";
            norm(p, w + "ln_1", d);
            p.put(w + "attn.c_attn.weight", normal(d, 3 * d));
            p.put(w + "attn.c_attn.bias", zeros(3 * d));
            p.put(w + "attn.c_proj.weight", new Entry(new long[] {d, d}, Init.NORMAL, residual));
            p.put(w + "attn.c_proj.bias", zeros(d));
            norm(p, w + "ln_2", d);
            p.put(w + "mlp.c_fc.weight", normal(d, inner));
            p.put(w + "mlp.c_fc.bias", zeros(inner));
            p.put(w + "mlp.c_proj.weight", new Entry(new long[] {inner, d}, Init.NORMAL, residual));
            p.put(w + "mlp.c_proj.bias", zeros(d));
        }
        norm(p, "transformer.ln_f", d);
        if (!c.tiedEmbeddings()) {
            p.put("lm_head.weight", normal(c.vocabSize(), d));
        }
    }

    private static void llamaFamily(ModelConfig c, Map<String, Entry> p) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inner = c.intermediateSize();
        boolean gemma = c.architecture() == Architecture.GEMMA2;
        // Gemma stores its norm weights as offsets from one.
        Init normInit = gemma ? Init.ZEROS : Init.ONES;
        boolean oBias = c.qkvBias() && c.architecture() == Architecture.LLAMA;
        p.put("model.embed_tokens.weight", normal(c.vocabSize(), d));
        for (int i = 0; i < c.numLayers(); i++) {
            String w = "model.layers." + i + ".";
            p.put(w + "input_layernorm.weight", new Entry(new long[] {d}, normInit, 1));
            p.put(w + "self_attn.q_proj.weight", normal(q, d));
            p.put(w + "self_attn.k_proj.weight", normal(kv, d));
            p.put(w + "self_attn.v_proj.weight", normal(kv, d));
            if (c.qkvBias()) {
                p.put(w + "self_attn.q_proj.bias", zeros(q));
                p.put(w + "self_attn.k_proj.bias", zeros(kv));
                p.put(w + "self_attn.v_proj.bias", zeros(kv));
            }
            p.put(w + "self_attn.o_proj.weight", normal(d, q));
            if (oBias) {
                p.put(w + "self_attn.o_proj.bias", zeros(d));
            }
            p.put(w + "post_attention_layernorm.weight", new Entry(new long[] {d}, normInit, 1));
            if (gemma) {
                p.put(w + "pre_feedforward_layernorm.weight", new Entry(new long[] {d}, normInit, 1));
                p.put(w + "post_feedforward_layernorm.weight", new Entry(new long[] {d}, normInit, 1));
            }
            p.put(w + "mlp.gate_proj.weight", normal(inner, d));
            p.put(w + "mlp.up_proj.weight", normal(inner, d));
            p.put(w + "mlp.down_proj.weight", normal(d, inner));
            if (c.mlpBias()) {
                p.put(w + "mlp.gate_proj.bias", zeros(inner));
                p.put(w + "mlp.up_proj.bias", zeros(inner));
                p.put(w + "mlp.down_proj.bias", zeros(d));
            }
        }
        p.put("model.norm.weight", new Entry(new long[] {d}, normInit, 1));
        if (!c.tiedEmbeddings()) {
            p.put("lm_head.weight", normal(c.vocabSize(), d));
        }
    }

    private static void bert(ModelConfig c, Map<String, Entry> p) {
        long d = c.hiddenSize();
        long inner = c.intermediateSize();
        p.put("bert.embeddings.word_embeddings.weight", normal(c.vocabSize(), d));
        p.put("bert.embeddings.position_embeddings.weight", normal(c.maxPositions(), d));
        p.put("bert.embeddings.token_type_embeddings.weight", normal(c.typeVocabSize(), d));
        norm(p, "bert.embeddings.LayerNorm", d);
        for (int i = 0; i < c.numLayers(); i++) {
            String w = "bert.encoder.layer." + i + ".";
            for (String proj : new String[] {"query", "key", "value"}) {
                p.put(w + "attention.self." + proj + ".weight", normal(d, d));
                p.put(w + "attention.self." + proj + ".bias", zeros(d));
            }
            p.put(w + "attention.output.dense.weight", normal(d, d));
            p.put(w + "attention.output.dense.bias", zeros(d));
            norm(p, w + "attention.output.LayerNorm", d);
            p.put(w + "intermediate.dense.weight", normal(inner, d));
            p.put(w + "intermediate.dense.bias", zeros(inner));
            p.put(w + "output.dense.weight", normal(d, inner));
            p.put(w + "output.dense.bias", zeros(d));
            norm(p, w + "output.LayerNorm", d);
        }
        p.put("cls.predictions.transform.dense.weight", normal(d, d));
        p.put("cls.predictions.transform.dense.bias", zeros(d));
        norm(p, "cls.predictions.transform.LayerNorm", d);
        p.put("cls.predictions.bias", zeros(c.vocabSize()));
    }

    private static void norm(Map<String, Entry> p, String prefix, long d) {
        p.put(prefix + ".weight", new Entry(new long[] {d}, Init.ONES, 1));
        p.put(prefix + ".bias", zeros(d));
    }

    private static Entry normal(long... shape) {
        return new Entry(shape, Init.NORMAL, 1);
    }

    private static Entry zeros(long n) {
        return new Entry(new long[] {n}, Init.ZEROS, 1);
    }
}
