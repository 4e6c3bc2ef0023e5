package dev.scalpel.core.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link OnnxReader} keeps of an ONNX model: the graph's nodes in file order (which ONNX requires to be
 * topological), its initializers' names, types and shapes (their data went to the reader's consumer), and the names
 * of the graph's inputs and outputs. Lookups by value name (who produces it, who reads it) are indexed once.
 */
public final class OnnxGraph {
    private final String source;
    private final long irVersion;
    private final String producer;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxInitializer> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    /**
     * @param source the file or class-path resource the graph was read from, for messages
     * @param producer the model's {@code producer_name} and {@code producer_version}, e.g. "pytorch 2.0.1"
     */
    public OnnxGraph(String source, long irVersion, String producer, List<OnnxNode> nodes,
                     List<OnnxInitializer> initializers, List<String> inputs, List<String> outputs) {
        this.source = source;
        this.irVersion = irVersion;
        this.producer = producer;
        this.nodes = List.copyOf(nodes);
        Map<String, OnnxInitializer> byName = new LinkedHashMap<>();
        initializers.forEach(i -> byName.put(i.name(), i));
        this.initializers = java.util.Collections.unmodifiableMap(byName);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (OnnxNode node : this.nodes) {
            node.outputs().forEach(o -> producers.put(o, node));
            node.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
        }
    }

    public String source() {
        return source;
    }

    public long irVersion() {
        return irVersion;
    }

    public String producer() {
        return producer;
    }

    /** Nodes in file order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers by name, in file order. */
    public Map<String, OnnxInitializer> initializers() {
        return initializers;
    }

    public boolean isInitializer(String value) {
        return initializers.containsKey(value);
    }

    /** Names of the graph's inputs (initializers listed as inputs by old exporters included). */
    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The node that produces {@code value}, if a node does (graph inputs and initializers have none). */
    public Optional<OnnxNode> producerOf(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** The nodes that read {@code value}, in graph order. */
    public List<OnnxNode> consumersOf(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The value of {@code value} when a {@code Constant} node produces it. */
    public Optional<OnnxTensor> constant(String value) {
        return producerOf(value).filter(n -> n.opType().equals("Constant"))
                .flatMap(n -> n.attribute("value")).map(OnnxNode.Attribute::t);
    }

    public List<OnnxNode> nodesOfType(String opType) {
        return nodes.stream().filter(n -> n.opType().equals(opType)).toList();
    }

    @Override
    public String toString() {
        return source + " (" + producer + ", IR " + irVersion + "): " + nodes.size() + " nodes, " + initializers.size()
                + " initializers";
    }
}
