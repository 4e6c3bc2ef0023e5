package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.CheckpointFormatException;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken model folder fails with a typed error naming the file and the problem, and leaves nothing loaded. */
class ModelLoadErrorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path copy(String fixture) throws IOException {
        Path target = dir.resolve(fixture);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(Fixtures.model(fixture))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().startsWith("golden")) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
        }
        return target;
    }

    private static ScalpelException loadFails(Path folder) {
        try (NDManager m = NDManager.newBaseManager()) {
            ScalpelException e = assertThrows(ScalpelException.class, () -> Models.load(folder, m));
            assertTrue(m.getManagedArrays().isEmpty(), "nothing stays loaded after a failure");
            return e;
        }
    }

    private static void editConfig(Path folder, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
    }

    private static void editHeader(Path file, Consumer<ObjectNode> edit) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        edit.accept(header);
        byte[] h = JSON.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        byte[] out = new byte[8 + padded + all.length - 8 - (int) n];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        Arrays.fill(out, 8, 8 + padded, (byte) ' ');
        System.arraycopy(h, 0, out, 8, h.length);
        System.arraycopy(all, 8 + (int) n, out, 8 + padded, all.length - 8 - (int) n);
        Files.write(file, out);
    }

    @Test
    void truncatedWeightsFileIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        Path weights = m.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(all, all.length / 2));
        ScalpelException e = loadFails(m);
        assertInstanceOf(CheckpointFormatException.class, e);
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void headerLengthPastTheEndIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        Path weights = m.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(all.length * 2L);
        Files.write(weights, all);
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void unknownDtypeIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        editHeader(m.resolve("model.safetensors"), h -> ((ObjectNode) h.get("model.norm.weight")).put("dtype", "F7"));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("F7"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithTheByteCountIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        editHeader(m.resolve("model.safetensors"), h -> ((ObjectNode) h.get("model.norm.weight")).putArray("shape").add(65));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
    }

    @Test
    void overlappingAndOutOfRangeSpansAreNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        editHeader(m.resolve("model.safetensors"), h -> {
            ObjectNode a = (ObjectNode) h.get("model.norm.weight");
            a.putArray("data_offsets").add(0).add(256);
        });
        assertTrue(loadFails(m).getMessage().contains("overlap"), "overlap is reported");
        Path m2 = copy("llama-tiny");
        editHeader(m2.resolve("model-00006-of-00006.safetensors"), h -> {
            ObjectNode a = (ObjectNode) h.get("model.norm.weight");
            a.putArray("data_offsets").add(1L << 40).add((1L << 40) + 256);
        });
        ScalpelException e = loadFails(m2);
        assertTrue(e.getMessage().contains("model-00006-of-00006.safetensors"), e.getMessage());
    }

    @Test
    void missingConfigKeyIsNamed() throws IOException {
        Path m = copy("llama-tiny");
        editConfig(m, c -> c.remove("hidden_size"));
        ScalpelException e = loadFails(m);
        assertInstanceOf(ConfigException.class, e);
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("hidden_size"), e.getMessage());
    }

    @Test
    void unknownModelTypeListsTheSupportedOnes() throws IOException {
        Path m = copy("llama-tiny");
        editConfig(m, c -> c.put("model_type", "mamba"));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("mamba") && e.getMessage().contains("gemma2"), e.getMessage());
    }

    @Test
    void malformedConfigIsNamed() throws IOException {
        Path m = copy("llama-tiny");
        Files.writeString(m.resolve("config.json"), "{\"model_type\": \"llama\",");
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("JSON"), e.getMessage());
    }

    @Test
    void shardNamedInTheIndexButMissingIsNamed() throws IOException {
        Path m = copy("llama-tiny");
        Files.delete(m.resolve("model-00003-of-00006.safetensors"));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("model-00003-of-00006.safetensors"), e.getMessage());
    }

    @Test
    void pickleCheckpointIsRefusedWithoutReadingIt() throws IOException {
        Path m = copy("gpt2-tiny");
        Files.delete(m.resolve("model.safetensors"));
        Files.write(m.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("safetensors") && e.getMessage().contains("pytorch_model.bin"), e.getMessage());
    }

    @Test
    void missingParameterIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        editHeader(m.resolve("model.safetensors"), h -> h.remove("model.layers.1.mlp.up_proj.weight"));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("model.layers.1.mlp.up_proj.weight"), e.getMessage());
    }

    @Test
    void embeddingThatDisagreesWithTheConfigIsNamed() throws IOException {
        Path m = copy("qwen2-tiny");
        editConfig(m, c -> c.put("vocab_size", 1000));
        ScalpelException e = loadFails(m);
        assertTrue(e.getMessage().contains("vocab_size") && e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void folderWithoutConfigIsNamed() {
        ScalpelException e = loadFails(dir);
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void legacyRopeConfigLoadsTheSameModel() throws IOException {
        Path m = copy("llama-tiny");
        Files.copy(m.resolve("config.legacy.json"), m.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel legacy = Models.load(m, nd);
             TransformerModel modern = Models.load(Fixtures.model("llama-tiny"), nd)) {
            assertTrue(java.util.Arrays.equals(((LlamaModel) legacy).inverseFrequencies(), ((LlamaModel) modern).inverseFrequencies()));
            var ids = nd.create(new long[] {1, 2, 3, 4, 5}).reshape(1, 5);
            // Structural: equal inverse frequencies (checked above) make the two models the same computation.
            assertTrue(legacy.forward(ForwardRequest.of(ids), nd).logits().contentEquals(modern.forward(ForwardRequest.of(ids), nd).logits()));
        }
    }

    @Test
    void tokenIdOutOfRangeIsReportedNotCrashed() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> model.forward(ForwardRequest.of(m.create(new long[] {1, 512}).reshape(1, 2)), m));
            assertTrue(e.getMessage().contains("512"), e.getMessage());
        }
    }
}
