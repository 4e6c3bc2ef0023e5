package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Checkpoint;
import dev.scalpel.core.testing.Fixtures;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameters are read and replaced by name, and a saved model is the model that was loaded. */
class SaveLoadTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny-bf16", "gemma2-tiny", "bert-tiny", "mistral-tiny"})
    void loadSaveLoadIsBitIdentical(String fixture, @TempDir Path dir) {
        Path source = Fixtures.model(fixture);
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(source, m)) {
            ModelWriter.save(model, dir);
            try (TransformerModel again = Models.load(dir, m)) {
                assertEquals(model.parameters().names(), again.parameters().names());
                for (String name : model.parameters().names()) {
                    assertTrue(model.parameters().get(name).contentEquals(again.parameters().get(name)), name);
                    assertEquals(model.parameters().storedAs(name), again.parameters().storedAs(name), name);
                }
            }
            // Stronger: every tensor's bytes on disk are the bytes of the original checkpoint.
            try (Checkpoint original = Checkpoint.open(source); Checkpoint saved = Checkpoint.open(dir)) {
                for (String name : original.names()) {
                    String canonical = Models.canonicalName(model.architecture(), name);
                    MemorySegment a = original.segment(name);
                    MemorySegment b = saved.segment(canonical);
                    assertEquals(-1L, a.mismatch(b), "bytes of " + name);
                }
            }
            assertTrue(Files.exists(dir.resolve("config.json")));
            if (Files.exists(source.resolve("tokenizer.json"))) {
                assertTrue(Files.exists(dir.resolve("tokenizer.json")), "the tokenizer travels with the model");
            }
        }
    }

    @Test
    void shardedSaveWritesAnIndexThatLoads(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("qwen2-tiny"), m)) {
            ModelWriter.save(model, dir, 100_000);
            assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
            assertFalse(Files.exists(dir.resolve("model.safetensors")));
            try (TransformerModel again = Models.load(dir, m)) {
                NDArray ids = m.create(new long[] {3, 4, 5}).reshape(1, 3);
                assertTrue(model.forward(ForwardRequest.of(ids), m).logits()
                        .contentEquals(again.forward(ForwardRequest.of(ids), m).logits()));
            }
        }
    }

    @Test
    void replacedParameterChangesTheForwardAndIsSaved(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            String name = "model.layers.1.mlp.down_proj.weight";
            NDArray ids = m.create(new long[] {3, 4, 5, 6}).reshape(1, 4);
            NDArray before = model.forward(ForwardRequest.of(ids), m).logits();
            NDArray edited = model.parameters().get(name).mul(2);
            model.parameters().replace(name, edited);
            assertTrue(model.parameters().get(name).contentEquals(edited));
            NDArray after = model.forward(ForwardRequest.of(ids), m).logits();
            assertFalse(before.contentEquals(after), "the forward pass sees the new weight");
            edited.muli(0);   // the caller's array is not the model's
            assertTrue(model.parameters().get(name).abs().sum().getFloat() > 0);
            ModelWriter.save(model, dir);
            try (TransformerModel again = Models.load(dir, m)) {
                assertTrue(again.forward(ForwardRequest.of(ids), m).logits().contentEquals(after));
            }
        }
    }

    @Test
    void replacingWithTheWrongShapeIsRefused() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> model.parameters().replace("model.norm.weight", m.ones(new ai.djl.ndarray.types.Shape(3))));
            assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
            ScalpelException e2 = assertThrows(ScalpelException.class, () -> model.parameters().get("model.norm.weights"));
            assertTrue(e2.getMessage().contains("did you mean 'model.norm.weight'"), "suggests the right name: " + e2.getMessage());
        }
    }
}
