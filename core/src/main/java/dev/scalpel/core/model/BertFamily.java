package dev.scalpel.core.model;

import static dev.scalpel.core.model.HookNames.*;

import dev.scalpel.core.model.LinearModule.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * BERT (transformers' BertModel / BertForMaskedLM): config keys, parameters (the masked-LM head optional: sentence
 * encoders ship without it), hook points in TransformerLens's HookedEncoder naming, and linear modules.
 */
final class BertFamily implements ModelFamily {
    static final String WORD_EMBEDDING = "bert.embeddings.word_embeddings";
    static final String POSITION_EMBEDDING = "bert.embeddings.position_embeddings";
    static final String TOKEN_TYPE_EMBEDDING = "bert.embeddings.token_type_embeddings";
    static final String EMBEDDING_NORM = "bert.embeddings.LayerNorm";
    // Inside a block (prefix layer(i)).
    static final String QUERY = "attention.self.query";
    static final String KEY = "attention.self.key";
    static final String VALUE = "attention.self.value";
    static final String ATTENTION_OUTPUT = "attention.output.dense";
    static final String ATTENTION_NORM = "attention.output.LayerNorm";
    static final String INTERMEDIATE = "intermediate.dense";
    static final String OUTPUT = "output.dense";
    static final String OUTPUT_NORM = "output.LayerNorm";
    // The masked-LM head.
    static final String HEAD_TRANSFORM = "cls.predictions.transform.dense";
    static final String HEAD_NORM = "cls.predictions.transform.LayerNorm";
    static final String HEAD_BIAS = "cls.predictions.bias";
    static final String HEAD_DECODER = "cls.predictions.decoder";

    private static final List<String> BLOCK_HOOKS = List.of(RESID_PRE, Q, K, V, ATTN_SCORES, PATTERN, Z, ATTN_OUT,
            RESID_MID, LN1, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST, NORMALIZED_RESID_POST);

    /** The parameter prefix of block {@code i}. */
    static String layer(int i) {
        return "bert.encoder.layer." + i + ".";
    }

    @Override
    public boolean causal() {
        return false;
    }

    @Override
    public boolean learnedPositions() {
        return true;
    }

    @Override
    public ModelConfig readConfig(Architecture arch, HfConfig c) {
        int d = c.requirePositiveInt("hidden_size");
        int heads = c.requirePositiveInt("num_attention_heads");
        int layers = c.requirePositiveInt("num_hidden_layers");
        String positions = c.stringOr("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new ConfigException(c.file(), "position_embedding_type '" + positions + "' is not supported (only absolute)");
        }
        return new ModelConfig(arch, c, c.requirePositiveInt("vocab_size"), d, layers, heads, heads, d / heads,
                c.requirePositiveInt("intermediate_size"), c.requireInt("max_position_embeddings"),
                c.doubleOr("layer_norm_eps", 1e-12), c.stringOr("hidden_act", "gelu"), null,
                c.boolOr("tie_word_embeddings", true), true, true, Collections.nCopies(layers, 0), 0, 0,
                1.0 / Math.sqrt((double) d / heads), c.intOr("type_vocab_size", 2), null, List.of(),
                c.optionalInt("pad_token_id").orElse(null));
    }

    @Override
    public ParameterLayout layout(ModelConfig c) {
        long d = c.hiddenSize();
        long inner = c.intermediateSize();
        ParameterLayout p = new ParameterLayout()
                .normal(WORD_EMBEDDING + ".weight", c.vocabSize(), d)
                .normal(POSITION_EMBEDDING + ".weight", c.maxPositions(), d)
                .normal(TOKEN_TYPE_EMBEDDING + ".weight", c.typeVocabSize(), d)
                .layerNorm(EMBEDDING_NORM, d);
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            p.linear(w + QUERY, d, d, true).linear(w + KEY, d, d, true).linear(w + VALUE, d, d, true)
                    .linear(w + ATTENTION_OUTPUT, d, d, true)
                    .layerNorm(w + ATTENTION_NORM, d)
                    .linear(w + INTERMEDIATE, inner, d, true)
                    .linear(w + OUTPUT, d, inner, true)
                    .layerNorm(w + OUTPUT_NORM, d);
        }
        p.optionalFromHere()
                .linear(HEAD_TRANSFORM, d, d, true)
                .layerNorm(HEAD_NORM, d)
                .zeros(HEAD_BIAS, c.vocabSize());
        return p;
    }

    @Override
    public String tokenEmbedding() {
        return WORD_EMBEDDING + ".weight";
    }

    /** Checkpoints saved from the base class lack the {@code bert.} prefix; old files call LayerNorm's parameters gamma and beta. */
    @Override
    public String canonicalName(String stored) {
        if (stored.endsWith("embeddings.position_ids")) {
            return null;
        }
        String name = stored.startsWith("bert.") || stored.startsWith("cls.") ? stored : "bert." + stored;
        return name.replaceAll("LayerNorm\\.gamma$", "LayerNorm.weight").replaceAll("LayerNorm\\.beta$", "LayerNorm.bias");
    }

    @Override
    public List<String> hookPoints(ModelConfig c) {
        return inForwardOrder(List.of(BERT_WORD_EMBED, BERT_TOKEN_TYPE_EMBED, BERT_POS_EMBED, BERT_EMBED_NORM), BLOCK_HOOKS,
                c.numLayers(), List.of());
    }

    @Override
    public List<LinearModule> linearModules(ModelConfig c) {
        int d = c.hiddenSize();
        int inner = c.intermediateSize();
        List<LinearModule> modules = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String w = layer(i);
            modules.add(LinearModule.of(w + QUERY, i, Role.QUERY, true, false, d, d, RESID_PRE, Q));
            modules.add(LinearModule.of(w + KEY, i, Role.KEY, true, false, d, d, RESID_PRE, K));
            modules.add(LinearModule.of(w + VALUE, i, Role.VALUE, true, false, d, d, RESID_PRE, V));
            modules.add(LinearModule.of(w + ATTENTION_OUTPUT, i, Role.ATTENTION_OUT, true, false, d, d, Z, ATTN_OUT));
            modules.add(LinearModule.of(w + INTERMEDIATE, i, Role.MLP_UP, true, false, d, inner, LN1, MLP_PRE));
            modules.add(LinearModule.of(w + OUTPUT, i, Role.MLP_DOWN, true, false, inner, d, MLP_POST, MLP_OUT));
        }
        return modules;
    }

    @Override
    public TransformerModel create(ModelConfig config, Parameters params) {
        return new BertModel(config, params);
    }
}
