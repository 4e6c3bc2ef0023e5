package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Freshly initialized models have the layout of the real checkpoints and transformers' initial statistics. */
class InitializeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "gemma2-tiny", "mistral-tiny", "bert-tiny"})
    void initializedModelHasTheFixturesParametersAndRoundTrips(String fixture, @TempDir Path dir) throws IOException {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(Fixtures.model(fixture).resolve("config.json").toFile());
        try (NDManager m = NDManager.newBaseManager(); TransformerModel real = Models.load(Fixtures.model(fixture), m);
             TransformerModel fresh = Models.initialize(config, 7, DType.F32, m)) {
            for (String name : real.parameters().names()) {
                assertEquals(real.parameters().get(name).getShape(), fresh.parameters().get(name).getShape(), name);
            }
            assertEquals(real.parameters().count(), fresh.parameters().count(), "no parameter missing or extra");
            NDArray embed = fresh.parameters().get(fixture.startsWith("gpt2") ? "transformer.wte.weight"
                    : fixture.startsWith("bert") ? "bert.embeddings.word_embeddings.weight" : "model.embed_tokens.weight");
            double std = Math.sqrt(embed.square().mean().getFloat());
            assertEquals(0.02, std, 0.001, "embedding standard deviation");
            ModelWriter.save(fresh, dir);
            try (TransformerModel again = Models.load(dir, m)) {
                NDArray ids = m.create(new long[] {1, 2, 3}).reshape(1, 3);
                // Structural: the same weights (saved and reloaded bit for bit) through the same forward pass.
                assertTrue(fresh.forward(ForwardRequest.of(ids), m).hidden().contentEquals(again.forward(ForwardRequest.of(ids), m).hidden()));
            }
            try (TransformerModel same = Models.initialize(config, 7, DType.F32, m)) {
                assertTrue(same.parameters().get(embed.getName()).contentEquals(embed), "same seed, same weights");
            }
        }
    }
}
