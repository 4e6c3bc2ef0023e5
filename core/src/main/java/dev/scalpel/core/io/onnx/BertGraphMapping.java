package dev.scalpel.core.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which initializer of a BERT graph exported by {@code torch.onnx} is which parameter of Scalpel's {@code BertModel},
 * and which of them the exporter stored transposed. Worked out from the graph alone (no tensor data), by three rules:
 *
 * <ol>
 *   <li><b>Named parameters.</b> An initializer named like a transformers {@code BertModel} parameter
 *       ({@code embeddings.*}, {@code encoder.layer.N.*}, {@code pooler.dense.*}, ending in {@code weight} or
 *       {@code bias}) is that parameter; Scalpel's name adds the {@code bert.} prefix (transformers' BertForMaskedLM
 *       naming, which BertModel uses). Names that already carry {@code bert.} keep it.</li>
 *   <li><b>Generated names.</b> The exporter turns {@code Linear(x) = x W^T + b} into {@code Add(b, MatMul(x, W^T))}
 *       (or {@code Gemm(x, W, b)}) and may store the weight under a generated name such as {@code onnx::MatMul_787}.
 *       Such an initializer, when it is the second input of a MatMul whose output feeds an Add whose other input is
 *       an initializer {@code P.bias} named by rule 1 (or of a Gemm whose third input is {@code P.bias}), is
 *       {@code P.weight}. The bias names the module, so no counting of MatMuls or guessing from their order is
 *       needed, and the nodes' own names (for example {@code /encoder/layer.0/attention/self/query/MatMul}) are not
 *       relied on.</li>
 *   <li><b>Layout.</b> A weight that is the second input of a MatMul, or of a Gemm without {@code transB}, is stored
 *       as [in, out], the transpose of PyTorch's Linear layout [out, in], and is transposed back. Every other
 *       initializer (embeddings, biases, LayerNorm vectors, Gemm weights with {@code transB=1}) is used as stored.
 *       In all-MiniLM-L6-v2 the 36 weights of rule 2 are transposed and nothing else.</li>
 *   <li><b>Buffers.</b> {@code embeddings.position_ids} holds the positions 0..N-1 (the importer checks this): it
 *       is a buffer, not a parameter, and is dropped; BertModel numbers positions by index.</li>
 * </ol>
 * Any other initializer, and any parameter named twice, is an error that names it.
 *
 * @param entries one per mapped initializer, in the graph's initializer order
 * @param dropped the initializers that are buffers, not parameters
 */
public record BertGraphMapping(List<Entry> entries, List<String> dropped) {
    private static final Pattern BERT_PARAMETER =
            Pattern.compile("(bert\\.)?(embeddings|encoder\\.layer\\.\\d+|pooler)\\..+\\.(weight|bias)");
    private static final Pattern POSITION_IDS = Pattern.compile("(bert\\.)?embeddings\\.position_ids");

    /**
     * @param initializer the initializer's name in the graph
     * @param parameter the parameter's name in Scalpel ({@code bert.encoder.layer.0.attention.self.query.weight})
     * @param transposed whether the graph stores the transpose of the parameter (rule 3)
     */
    public record Entry(String initializer, String parameter, boolean transposed) {
    }

    public BertGraphMapping {
        entries = List.copyOf(entries);
        dropped = List.copyOf(dropped);
    }

    public static BertGraphMapping of(OnnxGraph graph) {
        List<Entry> entries = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        Map<String, String> claimedBy = new HashMap<>();
        for (OnnxInitializer init : graph.initializers().values()) {
            String name = init.name();
            if (POSITION_IDS.matcher(name).matches()) {
                dropped.add(name);
                continue;
            }
            String parameter = BERT_PARAMETER.matcher(name).matches() ? scalpelName(name) : linearWeightName(graph, name);
            Entry entry = parameter == null ? null : new Entry(name, parameter, storedAsInOut(graph, name));
            if (entry == null) {
                unmapped.add(name);
                continue;
            }
            String earlier = claimedBy.putIfAbsent(entry.parameter(), name);
            if (earlier != null) {
                throw new OnnxFormatException(graph.source(), -1, "initializers '" + earlier + "' and '" + name
                        + "' both map to parameter " + entry.parameter());
            }
            entries.add(entry);
        }
        if (!unmapped.isEmpty()) {
            throw new OnnxFormatException(graph.source(), -1, unmapped.size() + " initializer(s) match no BERT "
                    + "parameter, e.g. " + unmapped.subList(0, Math.min(5, unmapped.size())) + " (is this a BERT "
                    + "encoder exported by torch.onnx?)");
        }
        return new BertGraphMapping(entries, dropped);
    }

    private static String scalpelName(String name) {
        return name.startsWith("bert.") ? name : "bert." + name;
    }

    /** Rule 2: the parameter name of a weight with a generated name, found through the bias added to its product. */
    private static String linearWeightName(OnnxGraph graph, String name) {
        for (OnnxNode product : graph.consumersOf(name)) {
            if (!isSecondInput(product, name)) {
                continue;
            }
            List<String> biases = new ArrayList<>();
            if (product.opType().equals("Gemm") && product.inputs().size() == 3) {
                biases.add(product.inputs().get(2));
            } else if (product.opType().equals("MatMul")) {
                graph.consumersOf(product.output()).stream().filter(n -> n.opType().equals("Add"))
                        .forEach(add -> biases.addAll(add.inputs()));
            }
            for (String bias : biases) {
                if (graph.isInitializer(bias) && bias.endsWith(".bias") && BERT_PARAMETER.matcher(bias).matches()) {
                    return scalpelName(bias.substring(0, bias.length() - ".bias".length()) + ".weight");
                }
            }
        }
        return null;
    }

    /** Rule 3: whether a product reads {@code name} as its [in, out] right-hand matrix. */
    private static boolean storedAsInOut(OnnxGraph graph, String name) {
        for (OnnxNode n : graph.consumersOf(name)) {
            if (isSecondInput(n, name) && (n.opType().equals("MatMul") || n.opType().equals("Gemm")
                    && n.attribute("transB").map(OnnxNode.Attribute::i).orElse(0L) == 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSecondInput(OnnxNode node, String name) {
        return (node.opType().equals("MatMul") || node.opType().equals("Gemm")) && node.inputs().size() >= 2
                && node.inputs().get(1).equals(name);
    }

    /** Entries by initializer name. */
    public Map<String, Entry> byInitializer() {
        Map<String, Entry> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.initializer(), e));
        return map;
    }

    /** Entries by Scalpel parameter name. */
    public Map<String, Entry> byParameter() {
        Map<String, Entry> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.parameter(), e));
        return map;
    }
}
