package dev.scalpel.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.io.DType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written ONNX reader: the real all-MiniLM-L6-v2 file, every tensor encoding, and broken files. */
class OnnxReaderTest {
    static final String MINILM = "all-minilm-l6-v2.onnx";

    static InputStream minilm() {
        return OnnxReaderTest.class.getClassLoader().getResourceAsStream(MINILM);
    }

    @Test
    void readsTheGraphAndInitializersOfTheBundledMiniLm() throws IOException {
        List<String> names = new ArrayList<>();
        long[] floats = {0};
        long[][] positions = {null};
        float[][] layerNorm = {null};
        OnnxGraph graph;
        try (InputStream in = minilm()) {
            graph = OnnxReader.read(in, MINILM, t -> {
                names.add(t.name());
                assertEquals(t.elementCount() * t.dtype().byteSize(), t.data().byteSize(), t.name());
                if (t.dtype() == DType.F32) {
                    floats[0] += t.elementCount();
                }
                if (t.name().equals("embeddings.position_ids")) {
                    positions[0] = t.toLongs();
                }
                if (t.name().equals("encoder.layer.5.output.LayerNorm.weight")) {
                    layerNorm[0] = t.toFloats();
                }
            });
        }
        assertEquals("pytorch 2.0.1", graph.producer());
        assertEquals(6, graph.irVersion());
        assertEquals(637, graph.nodes().size());
        assertEquals(102, graph.initializers().size());
        assertEquals(List.copyOf(graph.initializers().keySet()), names);
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), graph.inputs());
        assertEquals(List.of("last_hidden_state"), graph.outputs());
        // all-MiniLM-L6-v2 has 22,713,216 parameters; the ONNX graph lacks the pooler's 384 * 384 + 384.
        assertEquals(22_713_216L - 147_840L, floats[0]);
        assertArrayEquals(new long[] {30522, 384}, graph.initializers().get("embeddings.word_embeddings.weight").dims());
        assertArrayEquals(new long[] {384, 1536}, graph.initializers().get("onnx::MatMul_798").dims());
        long[] expectedPositions = new long[512];
        for (int i = 0; i < 512; i++) {
            expectedPositions[i] = i;
        }
        assertArrayEquals(expectedPositions, positions[0]);
        assertEquals(384, layerNorm[0].length);
        assertTrue(java.util.stream.IntStream.range(0, 384).mapToDouble(i -> layerNorm[0][i]).distinct().count() > 100);
        assertEquals(48, graph.nodesOfType("MatMul").size());
        // Constants are kept: BertSelfAttention divides scores by sqrt(head size 32).
        float scale = graph.constant("/encoder/layer.0/attention/self/Constant_12_output_0").orElseThrow().toFloats()[0];
        assertEquals(Math.sqrt(32), scale, 1e-6);
        OnnxNode query = graph.producerOf("/encoder/layer.0/attention/self/query/MatMul_output_0").orElseThrow();
        assertEquals(List.of("/embeddings/LayerNorm/Add_1_output_0", "onnx::MatMul_787"), query.inputs());
        assertEquals("Add", graph.consumersOf(query.output()).getFirst().opType());
    }

    @Test
    void readsEveryTensorEncodingInAnyFieldOrder(@TempDir Path dir) throws IOException {
        // raw_data before dims, data_type and name (writers need not follow field-number order)
        ProtoWriter a = new ProtoWriter().bytes(9, ProtoWriter.floatsLittleEndian(1, 2, 3, 4, 5, 6))
                .packedVarints(1, 2, 3).varint(2, 1).string(8, "a").string(12, "a doc string to skip");
        ProtoWriter b = new ProtoWriter().varint(1, 3).varint(2, 1).string(8, "b")
                .fixed32(4, 0.5f).fixed32(4, -1.25f).fixed32(4, 1e-12f);                // unpacked float_data
        ProtoWriter c = new ProtoWriter().varint(1, 3).varint(2, 7).string(8, "c").packedVarints(7, -1, 0, 1L << 40);
        ProtoWriter d = new ProtoWriter().varint(1, 2).varint(2, 10).string(8, "d")   // FLOAT16 in int32_data
                .packedVarints(5, Float.floatToFloat16(1.5f), Float.floatToFloat16(-2f) & 0xFFFF);
        ProtoWriter e = new ProtoWriter().varint(2, 1).string(8, "scalar").packedFloats(4, 7.5f);   // no dims: a scalar
        ProtoWriter constant = new ProtoWriter().string(2, "k").string(4, "Constant").string(3, "const")
                .message(5, new ProtoWriter().string(1, "value").varint(20, 4)
                        .message(5, new ProtoWriter().varint(2, 1).bytes(9, ProtoWriter.floatsLittleEndian(0.5f))))
                .message(5, new ProtoWriter().string(1, "alpha").fixed32(2, 0.25f).varint(20, 1));
        ProtoWriter matMul = new ProtoWriter().string(1, "x").string(1, "a").string(2, "y").string(3, "mm")
                .string(4, "MatMul").string(6, "doc");
        ProtoWriter graph = new ProtoWriter().message(1, constant).message(1, matMul).string(2, "g")
                .message(5, a).message(5, b).message(5, c).message(5, d).message(5, e)
                .message(11, new ProtoWriter().string(1, "x")).message(12, new ProtoWriter().string(1, "y"));
        byte[] model = new ProtoWriter().varint(1, 8).string(2, "hand").string(3, "1")
                .message(8, new ProtoWriter().string(1, "").varint(2, 17)).varint(99, 12345)
                .message(7, graph).toByteArray();
        Path file = Files.write(dir.resolve("tiny.onnx"), model);

        List<OnnxTensor> seen = new ArrayList<>();
        OnnxGraph g = OnnxReader.read(file, t -> seen.add(new OnnxTensor(t.name(), t.dtype(), t.dims(),
                java.lang.foreign.MemorySegment.ofArray(t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)))));
        assertEquals("hand 1", g.producer());
        assertEquals(8, g.irVersion());
        assertEquals(List.of("a", "b", "c", "d", "scalar"), seen.stream().map(OnnxTensor::name).toList());
        assertArrayEquals(new long[] {2, 3}, seen.get(0).dims());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, seen.get(0).toFloats());
        assertArrayEquals(new float[] {0.5f, -1.25f, 1e-12f}, seen.get(1).toFloats());
        assertArrayEquals(new long[] {-1, 0, 1L << 40}, seen.get(2).toLongs());
        assertEquals(DType.F16, seen.get(3).dtype());
        var half = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, Float.float16ToFloat(seen.get(3).data().get(half, 0)));
        assertEquals(-2f, Float.float16ToFloat(seen.get(3).data().get(half, 2)));
        assertArrayEquals(new long[0], seen.get(4).dims());
        assertArrayEquals(new float[] {7.5f}, seen.get(4).toFloats());
        assertEquals(List.of("x"), g.inputs());
        assertEquals(List.of("y"), g.outputs());
        assertEquals(0.5f, g.constant("k").orElseThrow().toFloats()[0]);
        assertEquals(0.25f, g.producerOf("k").orElseThrow().attribute("alpha").orElseThrow().f());
        OnnxNode mm = g.producerOf("y").orElseThrow();
        assertEquals("MatMul", mm.opType());
        assertEquals(List.of(mm), g.consumersOf("a"));
        assertEquals(Map.of(), mm.attributes());
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(longs = {3, 60_000, 30_000_000, 60_000_000})
    void truncatedStreamFailsWhereItEnds(long length) throws IOException {
        try (InputStream in = prefix(minilm(), length)) {
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(in, MINILM, t -> { }));
            assertEquals(length, e.offset(), e.getMessage());
            assertTrue(e.getMessage().startsWith(MINILM + ": the file is truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("(at byte offset " + length + ")"), e.getMessage());
            if (length == 30_000_000) {
                // inside the word embeddings, which follow the 637 nodes
                assertTrue(e.getMessage().contains("in model > graph > initializer 1 'embeddings.word_embeddings.weight'"),
                        e.getMessage());
            }
            if (length == 60_000) {
                assertTrue(e.getMessage().contains("in model > graph > node "), e.getMessage());
            }
        }
    }

    @Test
    void truncatedFileIsCaughtAtTheFirstLengthItCannotHold(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.onnx");
        try (InputStream in = prefix(minilm(), 60_000)) {
            Files.copy(in, file);
        }
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(file, t -> { }));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + ": the file is truncated or corrupt: a field claims "), e.getMessage());
        assertTrue(e.getMessage().contains("but the file has only "), e.getMessage());
        assertTrue(e.offset() > 0 && e.offset() < 100, "the graph field starts near the beginning: " + e.offset());
    }

    @Test
    void rejectsCorruptFilesAndUnsupportedFeaturesByName(@TempDir Path dir) throws IOException {
        ProtoWriter external = new ProtoWriter().varint(1, 2).varint(2, 1).string(8, "w")
                .message(13, new ProtoWriter().string(1, "location").string(2, "w.bin")).varint(14, 1);
        assertFails(dir, graphWith(external), "initializer 0 'w'", "stored in an external file");

        ProtoWriter shortRaw = new ProtoWriter().packedVarints(1, 2, 2).varint(2, 1).string(8, "w")
                .bytes(9, ProtoWriter.floatsLittleEndian(1, 2, 3));
        assertFails(dir, graphWith(shortRaw), "initializer 0 'w'", "raw_data holds 12 bytes but shape [2, 2] of FLOAT needs 16");

        ProtoWriter strings = new ProtoWriter().varint(1, 1).varint(2, 8).string(8, "s").string(6, "text");
        assertFails(dir, graphWith(strings), "initializer 0 's'", "element type STRING is not supported");

        ProtoWriter segmented = new ProtoWriter().string(8, "w").message(3, new ProtoWriter().varint(1, 0));
        assertFails(dir, graphWith(segmented), "initializer 0 'w'", "segmented tensors");

        ProtoWriter twice = new ProtoWriter().varint(2, 1).string(8, "w").packedFloats(4, 1f);
        byte[] duplicate = new ProtoWriter().message(7, new ProtoWriter().message(5, twice).message(5, twice)).toByteArray();
        assertFails(dir, duplicate, "graph", "a second initializer is named 'w'");

        assertFails(dir, new ProtoWriter().varint(1, 8).key(3, 7).toByteArray(), "model", "wire type 7");
        assertFails(dir, new ProtoWriter().key(1, 0).raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
                .toByteArray(), "model", "malformed varint");
        // A node of 4 bytes whose input name claims 50 (the model goes on after the graph).
        byte[] overrun = new ProtoWriter().message(7, new ProtoWriter().key(1, 2).rawVarint(4).key(1, 2).rawVarint(50)
                .raw('a', 'b')).string(2, "producer name after the graph").toByteArray();
        assertFails(dir, overrun, "node 0", "more than its enclosing message");
        assertFails(dir, new ProtoWriter().varint(1, 8).toByteArray(), "", "holds no graph");
    }

    private static byte[] graphWith(ProtoWriter initializer) {
        return new ProtoWriter().varint(1, 8).message(7, new ProtoWriter().message(5, initializer)).toByteArray();
    }

    private static void assertFails(Path dir, byte[] model, String where, String problem) throws IOException {
        Path file = Files.write(dir.resolve("broken.onnx"), model);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(file, t -> { }));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(where), e.getMessage());
    }

    /** The first {@code length} bytes of a stream. */
    static InputStream prefix(InputStream in, long length) {
        return new FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }
}
