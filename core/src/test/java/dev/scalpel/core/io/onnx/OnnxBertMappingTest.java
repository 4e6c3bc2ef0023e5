package dev.scalpel.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.model.BertModel;
import dev.scalpel.core.model.ModelConfig;
import dev.scalpel.core.model.RequiredParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2's initializers become BertModel's parameters: each exactly once, un-transposed where stored so. */
class OnnxBertMappingTest {
    private static OnnxBertImport.Result imported;

    @BeforeAll
    static void load() {
        imported = MiniLm.importOnnx();
    }

    @AfterAll
    static void close() {
        imported.close();
    }

    @Test
    void everyBertParameterComesFromExactlyOneInitializer() {
        BertGraphMapping mapping = imported.mapping();
        List<String> parameters = mapping.entries().stream().map(BertGraphMapping.Entry::parameter).toList();
        List<String> required = RequiredParameters.of(imported.model());
        assertEquals(5 + 16 * 6, required.size());
        assertEquals(parameters.size(), new HashSet<>(parameters).size(), "a parameter is mapped twice");
        assertEquals(Set.copyOf(required), Set.copyOf(parameters));
        assertEquals(Set.copyOf(required), imported.model().parameters().names());
        // Every initializer is accounted for; the only one left out is the position_ids buffer.
        assertEquals(List.of("embeddings.position_ids"), mapping.dropped());
        assertEquals(imported.graph().initializers().size(), mapping.entries().size() + mapping.dropped().size());
        assertFalse(((BertModel) imported.model()).hasLanguageModelHead());
    }

    @Test
    void matMulWeightsAreTheTransposedLinearWeightsTheirBiasNames() {
        List<BertGraphMapping.Entry> transposed = imported.mapping().entries().stream()
                .filter(BertGraphMapping.Entry::transposed).toList();
        assertEquals(6 * 6, transposed.size());
        Set<String> kinds = transposed.stream()
                .map(e -> e.parameter().replaceFirst("^bert\\.encoder\\.layer\\.\\d+\\.", "")).collect(Collectors.toSet());
        assertEquals(Set.of("attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
                "attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight"), kinds);
        for (BertGraphMapping.Entry e : imported.mapping().entries()) {
            assertEquals(e.transposed(), e.initializer().startsWith("onnx::MatMul_"), e.toString());
            if (!e.transposed()) {
                assertEquals("bert." + e.initializer(), e.parameter());
            }
        }
        // The rule never reads node names; the exporter's names (torch module paths) must agree with it.
        OnnxGraph graph = imported.graph();
        for (BertGraphMapping.Entry e : transposed) {
            String module = e.parameter().substring("bert.".length(), e.parameter().length() - ".weight".length());
            String nodeName = "/" + module.replace('.', '/').replaceAll("layer/(\\d+)", "layer.$1") + "/MatMul";
            OnnxNode matMul = graph.consumersOf(e.initializer()).getFirst();
            assertEquals(nodeName, matMul.name(), e.toString());
        }
    }

    @Test
    void transposedWeightsHoldTheGraphsValues() throws IOException {
        String param = "bert.encoder.layer.0.intermediate.dense.weight";
        String initializer = imported.mapping().byParameter().get(param).initializer();
        float[][] stored = {null};
        try (InputStream in = OnnxReaderTest.minilm()) {
            OnnxReader.read(in, "minilm", t -> {
                if (t.name().equals(initializer)) {
                    assertArrayEquals(new long[] {384, 1536}, t.dims());
                    stored[0] = t.toFloats();
                }
            });
        }
        float[] ours = imported.model().parameters().get(param).toFloatArray();   // [1536, 384]
        assertArrayEquals(new long[] {1536, 384}, imported.model().parameters().get(param).getShape().getShape());
        for (int in = 0; in < 384; in++) {
            for (int out = 0; out < 1536; out++) {
                assertEquals(stored[0][in * 1536 + out], ours[out * 384 + in]);
            }
        }
    }

    @Test
    void dimensionsAreReadOffTheGraphNotTakenFromTheConfig() {
        BertDimensions d = imported.dimensions();
        assertEquals(new BertDimensions(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu"), d);
        ModelConfig c = imported.model().config();
        assertEquals(12, c.numHeads());
        assertEquals(32, c.headDim());
        assertEquals(1e-12, c.normEps());
        assertEquals(1 / Math.sqrt(32), c.attentionScale(), 1e-12);
        ObjectNode lies = d.toConfig().put("num_attention_heads", 6);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> d.checkConfig(lies, "config.json"));
        assertEquals("config.json: config gives num_attention_heads = 6 but the ONNX graph has 12", e.getMessage());
        assertThrows(OnnxFormatException.class, () -> d.checkConfig(d.toConfig().put("layer_norm_eps", 1e-5), "c"));
        d.checkConfig(d.toConfig(), "c");
        assertArrayEquals(new long[] {384, 384}, d.expectedShape("bert.encoder.layer.3.attention.self.query.weight"));
        assertArrayEquals(new long[] {384, 1536}, d.expectedShape("bert.encoder.layer.3.output.dense.weight"));
    }

    @Test
    void aGraphWithAnUnknownInitializerIsRefusedByName() {
        OnnxGraph g = imported.graph();
        List<OnnxInitializer> inits = new java.util.ArrayList<>(g.initializers().values());
        inits.add(new OnnxInitializer("classifier.weight", dev.scalpel.core.io.DType.F32, new long[] {2, 384}));
        OnnxGraph extended = new OnnxGraph("x.onnx", g.irVersion(), g.producer(), g.nodes(), inits, g.inputs(), g.outputs());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> BertGraphMapping.of(extended));
        assertTrue(e.getMessage().contains("[classifier.weight]"), e.getMessage());
    }

    @Test
    void importingAFileWithoutAConfigDerivesTheSameModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.onnx");
        try (InputStream in = OnnxReaderTest.minilm()) {
            Files.copy(in, file);
        }
        try (OnnxBertImport.Result r = OnnxBertImport.load(file, null)) {
            assertEquals(imported.dimensions(), r.dimensions());
            ModelConfig c = r.model().config();
            assertEquals(file.resolve("config.json"), c.source().file());
            assertEquals("[\"BertModel\"]", c.source().json().get("architectures").toString());
            assertEquals(List.of(6, 12, 384, 1536, 30522, 512, 2), List.of(c.numLayers(), c.numHeads(), c.hiddenSize(),
                    c.intermediateSize(), c.vocabSize(), c.maxPositions(), c.typeVocabSize()));
            assertEquals("gelu", c.activation());
            assertEquals(imported.model().parameters().names(), r.model().parameters().names());
            for (String name : r.model().parameters().names()) {
                assertTrue(r.model().parameters().get(name).contentEquals(imported.model().parameters().get(name)), name);
            }
        }
    }

    @Test
    void layoutFollowsHowEachProductReadsItsWeight() {
        String q = "encoder.layer.0.attention.self.query";
        String k = "encoder.layer.0.attention.self.key";
        String v = "encoder.layer.0.attention.self.value";
        List<OnnxInitializer> inits = List.of(init(q + ".weight"), init(q + ".bias"), init("onnx::Gemm_5"),
                init(k + ".bias"), init("onnx::Gemm_6"), init(v + ".bias"), init("embeddings.position_ids"));
        List<OnnxNode> nodes = List.of(
                node("MatMul", Map.of(), "h", q + ".weight"), node("Add", Map.of(), q + ".bias", "MatMul:out"),
                node("Gemm", Map.of("transB", 1L), "h", "onnx::Gemm_5", k + ".bias"),
                node("Gemm", Map.of(), "h", "onnx::Gemm_6", v + ".bias"));
        BertGraphMapping m = BertGraphMapping.of(new OnnxGraph("synthetic", 8, "test", nodes, inits, List.of("h"),
                List.of()));
        Map<String, BertGraphMapping.Entry> byName = m.byInitializer();
        assertEquals(new BertGraphMapping.Entry(q + ".weight", "bert." + q + ".weight", true), byName.get(q + ".weight"));
        assertEquals(new BertGraphMapping.Entry("onnx::Gemm_5", "bert." + k + ".weight", false), byName.get("onnx::Gemm_5"));
        assertEquals(new BertGraphMapping.Entry("onnx::Gemm_6", "bert." + v + ".weight", true), byName.get("onnx::Gemm_6"));
        assertEquals(new BertGraphMapping.Entry(k + ".bias", "bert." + k + ".bias", false), byName.get(k + ".bias"));
        assertEquals(List.of("embeddings.position_ids"), m.dropped());
        assertEquals(6, m.entries().size());

        // Two generated weights whose products add the same bias cannot both be that module's weight.
        List<OnnxInitializer> twice = List.of(init("onnx::MatMul_1"), init("onnx::MatMul_2"), init(q + ".bias"));
        List<OnnxNode> clash = List.of(node("MatMul", Map.of(), "h", "onnx::MatMul_1"),
                node("Add", Map.of(), q + ".bias", "MatMul:out"));
        List<OnnxNode> clashing = new java.util.ArrayList<>(clash);
        clashing.add(new OnnxNode("second", "MatMul", "", List.of("h", "onnx::MatMul_2"), List.of("MatMul:out2"), Map.of()));
        clashing.add(new OnnxNode("add2", "Add", "", List.of("MatMul:out2", q + ".bias"), List.of("y"), Map.of()));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> BertGraphMapping.of(
                new OnnxGraph("synthetic", 8, "test", clashing, twice, List.of("h"), List.of())));
        assertEquals("synthetic: initializers 'onnx::MatMul_1' and 'onnx::MatMul_2' both map to parameter bert."
                + q + ".weight", e.getMessage());
    }

    private static OnnxInitializer init(String name) {
        return new OnnxInitializer(name, dev.scalpel.core.io.DType.F32, new long[] {4, 4});
    }

    /** A node named after its operator whose single output is {@code "<op>:out"}. */
    private static OnnxNode node(String op, Map<String, Long> ints, String... inputs) {
        Map<String, OnnxNode.Attribute> attributes = new java.util.HashMap<>();
        ints.forEach((k, v) -> attributes.put(k, new OnnxNode.Attribute(k, null, v, null)));
        return new OnnxNode(op, op, "", List.of(inputs), List.of(op + ":out"), attributes);
    }
}
