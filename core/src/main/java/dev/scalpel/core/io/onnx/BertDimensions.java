package dev.scalpel.core.io.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes and numerics of a BERT encoder as its ONNX graph shows them: sizes from the initializers' shapes, and what
 * shapes cannot tell from the graph's operators (the number of heads from the scale applied to attention scores,
 * LayerNorm's epsilon from the constant added to the variance, the activation from the Erf of exact GELU). Nothing
 * is taken on trust from a published config; {@link #checkConfig} compares one against these.
 */
public record BertDimensions(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
                             int maxPositions, int typeVocabSize, double layerNormEps, String activation) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LAYER = Pattern.compile("bert\\.encoder\\.layer\\.(\\d+)\\..*");

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Reads the dimensions off a graph whose initializers {@code mapping} has named. */
    public static BertDimensions derive(OnnxGraph graph, BertGraphMapping mapping) {
        Map<String, BertGraphMapping.Entry> byParameter = mapping.byParameter();
        long[] words = shape(graph, byParameter, "bert.embeddings.word_embeddings.weight");
        long[] positions = shape(graph, byParameter, "bert.embeddings.position_embeddings.weight");
        long[] types = shape(graph, byParameter, "bert.embeddings.token_type_embeddings.weight");
        long[] intermediate = shape(graph, byParameter, "bert.encoder.layer.0.intermediate.dense.bias");
        int hidden = (int) words[1];
        int layers = countLayers(graph, byParameter);
        int headDim = headDim(graph, layers);
        if (hidden % headDim != 0) {
            throw new OnnxFormatException(graph.source(), -1, "attention scores are scaled for a head size of " + headDim
                    + ", which does not divide the hidden size " + hidden);
        }
        return new BertDimensions((int) words[0], hidden, layers, hidden / headDim, (int) intermediate[0],
                (int) positions[0], (int) types[0], layerNormEps(graph, layers), activation(graph, layers));
    }

    /** The shape parameter {@code name} must have in a model of these dimensions (PyTorch layout). */
    public long[] expectedShape(String name) {
        String local = name.replaceFirst("^bert\\.encoder\\.layer\\.\\d+\\.", "");
        return switch (local) {
            case "bert.embeddings.word_embeddings.weight" -> new long[] {vocabSize, hiddenSize};
            case "bert.embeddings.position_embeddings.weight" -> new long[] {maxPositions, hiddenSize};
            case "bert.embeddings.token_type_embeddings.weight" -> new long[] {typeVocabSize, hiddenSize};
            case "attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
                 "attention.output.dense.weight", "bert.pooler.dense.weight" -> new long[] {hiddenSize, hiddenSize};
            case "intermediate.dense.weight" -> new long[] {intermediateSize, hiddenSize};
            case "intermediate.dense.bias" -> new long[] {intermediateSize};
            case "output.dense.weight" -> new long[] {hiddenSize, intermediateSize};
            default -> new long[] {hiddenSize};   // every remaining bias and LayerNorm vector
        };
    }

    /** A transformers {@code config.json} for a BertModel of these dimensions. */
    public ObjectNode toConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("BertModel");
        c.put("model_type", "bert");
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hiddenSize);
        c.put("num_hidden_layers", numLayers);
        c.put("num_attention_heads", numHeads);
        c.put("intermediate_size", intermediateSize);
        c.put("hidden_act", activation);
        c.put("max_position_embeddings", maxPositions);
        c.put("type_vocab_size", typeVocabSize);
        c.put("layer_norm_eps", layerNormEps);
        c.put("position_embedding_type", "absolute");
        return c;
    }

    /**
     * Checks that a published config describes this graph; an error names the first key that disagrees.
     *
     * @param source names the config in the error
     */
    public void checkConfig(JsonNode config, String source) {
        ObjectNode mine = toConfig();
        for (String key : List.of("model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size", "layer_norm_eps")) {
            JsonNode theirs = config.get(key);
            JsonNode ours = mine.get(key);
            boolean same = theirs != null && (ours.isNumber() ? theirs.isNumber() && theirs.asDouble() == ours.asDouble()
                    : ours.equals(theirs));
            if (!same) {
                throw new OnnxFormatException(source, -1, "config gives " + key + " = " + theirs + " but the ONNX graph has "
                        + ours);
            }
        }
    }

    private static long[] shape(OnnxGraph graph, Map<String, BertGraphMapping.Entry> byParameter, String parameter) {
        BertGraphMapping.Entry e = byParameter.get(parameter);
        if (e == null) {
            throw new OnnxFormatException(graph.source(), -1, "the graph has no initializer for " + parameter);
        }
        long[] dims = graph.initializers().get(e.initializer()).dims();
        return e.transposed() ? new long[] {dims[1], dims[0]} : dims;
    }

    private static int countLayers(OnnxGraph graph, Map<String, BertGraphMapping.Entry> byParameter) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String p : byParameter.keySet()) {
            Matcher m = LAYER.matcher(p);
            if (m.matches()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.first() != 0 || layers.last() != layers.size() - 1) {
            throw new OnnxFormatException(graph.source(), -1, "encoder layers should be numbered 0..N-1 but the graph has "
                    + layers);
        }
        return layers.size();
    }

    /**
     * The head size, from the scalar each layer divides its query-key product by (sqrt(head_dim), as transformers'
     * BertSelfAttention does) or multiplies it with (1/sqrt(head_dim)). The product is the MatMul of two computed
     * values (no weight); the other activation MatMul of a layer (probabilities times values) is not scaled.
     */
    private static int headDim(OnnxGraph graph, int layers) {
        List<Double> scales = new ArrayList<>();
        for (OnnxNode matMul : graph.nodesOfType("MatMul")) {
            if (matMul.inputs().stream().anyMatch(graph::isInitializer)) {
                continue;
            }
            for (OnnxNode next : graph.consumersOf(matMul.output())) {
                boolean div = next.opType().equals("Div");
                if (!div && !next.opType().equals("Mul")) {
                    continue;
                }
                for (String operand : next.inputs()) {
                    graph.constant(operand).filter(t -> t.elementCount() == 1 && t.dtype().isFloatingPoint())
                            .ifPresent(t -> {
                                double s = t.toFloats()[0];
                                scales.add(div ? s * s : 1 / (s * s));
                            });
                }
            }
        }
        if (scales.size() != layers) {
            throw new OnnxFormatException(graph.source(), -1, "found " + scales.size() + " scaled query-key products for "
                    + layers + " layers; cannot tell the number of attention heads");
        }
        long headDim = Math.round(scales.getFirst());
        for (double d : scales) {
            if (headDim < 1 || Math.abs(d - headDim) > 1e-3 * headDim) {
                throw new OnnxFormatException(graph.source(), -1, "attention scores are scaled by 1/sqrt(" + d
                        + "), which is not 1/sqrt(head size) for one whole head size in every layer");
            }
        }
        return (int) headDim;
    }

    /**
     * LayerNorm's epsilon: the attribute of fused LayerNormalization nodes, or the constant added to the variance
     * (Sqrt(Add(ReduceMean(...), eps))) in the decomposed form older exporters write. The float32 the graph stores is
     * given back as the shortest decimal that rounds to it, which is how a config writes it (1e-12, not
     * 9.999999960041972E-13).
     */
    private static double layerNormEps(OnnxGraph graph, int layers) {
        List<Float> found = new ArrayList<>();
        for (OnnxNode n : graph.nodesOfType("LayerNormalization")) {
            found.add(n.attribute("epsilon").map(OnnxNode.Attribute::f).orElse(1e-5f));
        }
        for (OnnxNode sqrt : graph.nodesOfType("Sqrt")) {
            graph.producerOf(sqrt.inputs().getFirst()).filter(a -> a.opType().equals("Add")).ifPresent(add -> {
                boolean ofMean = add.inputs().stream().anyMatch(i -> graph.producerOf(i)
                        .filter(p -> p.opType().equals("ReduceMean")).isPresent());
                if (ofMean) {
                    add.inputs().stream().map(graph::constant).flatMap(java.util.Optional::stream)
                            .filter(t -> t.elementCount() == 1 && t.dtype().isFloatingPoint())
                            .forEach(t -> found.add(t.toFloats()[0]));
                }
            });
        }
        // One after the embeddings, two per layer.
        if (found.size() != 2 * layers + 1 || found.stream().distinct().count() != 1) {
            throw new OnnxFormatException(graph.source(), -1, "expected " + (2 * layers + 1) + " LayerNorms with one "
                    + "epsilon but found epsilons " + found);
        }
        return Double.parseDouble(Float.toString(found.getFirst()));
    }

    /**
     * transformers' "gelu" is the exact form x/2 (1 + erf(x / sqrt 2)), exported as one Erf per layer. Fused Gelu
     * nodes are refused: their tanh approximation is told apart by a string attribute this reader does not keep.
     */
    private static String activation(OnnxGraph graph, int layers) {
        long erf = graph.nodesOfType("Erf").size();
        if (erf == layers && graph.nodesOfType("Gelu").isEmpty()) {
            return "gelu";
        }
        throw new OnnxFormatException(graph.source(), -1, "the feed-forward activation is not the exact (erf) GELU in "
                + "every layer (found " + erf + " Erf nodes for " + layers + " layers); only hidden_act gelu can be "
                + "imported");
    }
}
