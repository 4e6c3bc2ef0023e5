package dev.scalpel.interpret.sae;

import static dev.scalpel.interpret.sae.SaeFixtures.GEMMA_SCOPE;
import static dev.scalpel.interpret.sae.SaeFixtures.assertClose;
import static dev.scalpel.interpret.sae.SaeFixtures.expected;
import static dev.scalpel.interpret.sae.SaeFixtures.sae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saving in SAELens 6 layout: loads back bit for bit, and holds exactly what SAELens's loader reads. */
class SaeWriterTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GEMMA_SCOPE, "saelens-v6-topk", "saelens-v6-topk-rescaled", "saelens-v6-jumprelu-bf16",
        "saelens-pre6-standard-f16", "saelens-pre6-topk"})
    void roundTripIsBitIdentical(String fixture, @TempDir Path dir) throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        try (SparseAutoencoder original = SaeLoader.load(sae(fixture), manager)) {
            SaeWriter.save(original, first);
            try (SparseAutoencoder back = SaeLoader.load(first, manager)) {
                assertEquals(original.architecture(), back.architecture());
                assertEquals(original.k(), back.k());
                assertEquals(original.applyBDecToInput(), back.applyBDecToInput());
                assertEquals(original.metadata(), back.metadata());
                assertBits(original.wEnc(), back.wEnc());
                assertBits(original.wDec(), back.wDec());
                assertBits(original.bEnc(), back.bEnc());
                assertBits(original.bDec(), back.bDec());
                if (original.threshold() != null) {
                    assertBits(original.threshold(), back.threshold());
                }
                SaeWriter.save(back, second);
            }
        }
        for (String file : List.of(SaeLoader.CONFIG_FILE, SaeLoader.WEIGHTS_FILE)) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
    }

    private static void assertBits(NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), expected.getName() + "[" + i + "]");
        }
    }

    @Test
    void savesGemmaScopeAsAJumpReluFolderThatComputesTheSame(@TempDir Path dir) throws IOException {
        SaeFixtures.Expected e = expected("gemma-scope");
        try (SparseAutoencoder original = SaeLoader.load(sae(GEMMA_SCOPE), manager)) {
            SaeWriter.save(original, dir);
        }
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve(SaeLoader.CONFIG_FILE).toFile());
        assertEquals("jumprelu", cfg.get("architecture").asText());
        assertFalse(cfg.get("apply_b_dec_to_input").asBoolean());
        assertEquals("blocks.5.hook_resid_post", cfg.get("metadata").get("hook_name").asText());
        assertEquals("google/gemma-2-2b", cfg.get("metadata").get("model_name").asText());
        try (SafetensorsFile w = SafetensorsFile.open(dir.resolve(SaeLoader.WEIGHTS_FILE))) {
            // SAELens loads the state dict strictly: exactly its parameter names, nothing else.
            assertEquals(List.of("W_enc", "W_dec", "b_enc", "b_dec", "threshold"), w.names());
            for (TensorInfo info : w.infos()) {
                assertEquals(DType.F32, info.dtype(), info.name());
            }
        }
        try (SparseAutoencoder back = SaeLoader.load(dir, manager)) {
            NDArray f = back.encode(e.x(back.manager()));
            assertClose(e.f(), f.toFloatArray(), 2e-5, "f");
            assertClose(e.xHat(), back.decode(f).toFloatArray(), 2e-5, "x_hat");
        }
    }

    @Test
    void savesAFoldedTopKWithoutRescaling(@TempDir Path dir) throws IOException {
        SaeFixtures.Expected e = expected("saelens-v6-topk-rescaled");
        try (SparseAutoencoder original = SaeLoader.load(sae("saelens-v6-topk-rescaled"), manager)) {
            SaeWriter.save(original, dir);
        }
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve(SaeLoader.CONFIG_FILE).toFile());
        assertFalse(cfg.get("rescale_acts_by_decoder_norm").asBoolean(), "the norms are in the weights now");
        try (SparseAutoencoder back = SaeLoader.load(dir, manager)) {
            NDArray f = back.encode(e.x(back.manager()));
            assertClose(e.f(), f.toFloatArray(), 2e-5, "f");
            assertClose(e.xHat(), back.decode(f).toFloatArray(), 2e-5, "x_hat");
        }
    }
}
