package dev.scalpel.core.io.onnx;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of an ONNX graph. Inputs and outputs are value names: a graph input, an initializer, or another node's
 * output; an empty name marks an omitted optional input.
 *
 * @param attributes the attributes this reader keeps: those holding a float, an integer or a tensor (a
 *     {@code Constant} node's {@code value}, a {@code LayerNormalization}'s {@code epsilon}); others are skipped
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** A kept attribute: exactly one of {@code f}, {@code i} and {@code t} is set. */
    public record Attribute(String name, Float f, Long i, OnnxTensor t) {
    }

    public Optional<Attribute> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** The node's first output (most operators have exactly one). */
    public String output() {
        return outputs.isEmpty() ? "" : outputs.getFirst();
    }

    @Override
    public String toString() {
        return opType + " '" + name + "' " + inputs + " -> " + outputs;
    }
}
