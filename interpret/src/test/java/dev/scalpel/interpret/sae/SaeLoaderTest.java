package dev.scalpel.interpret.sae;

import static dev.scalpel.interpret.sae.SaeFixtures.D_IN;
import static dev.scalpel.interpret.sae.SaeFixtures.D_SAE;
import static dev.scalpel.interpret.sae.SaeFixtures.GEMMA_SCOPE;
import static dev.scalpel.interpret.sae.SaeFixtures.assertClose;
import static dev.scalpel.interpret.sae.SaeFixtures.copy;
import static dev.scalpel.interpret.sae.SaeFixtures.expected;
import static dev.scalpel.interpret.sae.SaeFixtures.sae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.TensorInfo;
import dev.scalpel.core.io.npy.NpyArray;
import dev.scalpel.core.io.npy.NpyWriter;
import dev.scalpel.core.io.npy.NpzReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading every fixture SAE and reproducing numpy's features and reconstructions; every refused input. */
class SaeLoaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        GEMMA_SCOPE + ", gemma-scope, JUMPRELU",
        "saelens-v6-topk, saelens-v6-topk, TOPK",
        "saelens-v6-topk-rescaled, saelens-v6-topk-rescaled, TOPK",
        "saelens-v6-jumprelu-bf16, saelens-v6-jumprelu-bf16, JUMPRELU",
        "saelens-pre6-standard-f16, saelens-pre6-standard-f16, STANDARD",
        "saelens-pre6-topk, saelens-pre6-topk, TOPK"})
    void encodesAndDecodesLikeTheReference(String folder, String reference, SaeArchitecture architecture) {
        SaeFixtures.Expected e = expected(reference);
        try (SparseAutoencoder sae = SaeLoader.load(sae(folder), manager)) {
            assertEquals(architecture, sae.architecture());
            assertEquals(D_IN, sae.dIn());
            assertEquals(D_SAE, sae.dSae());
            NDArray f = sae.encode(e.x(sae.manager()));
            assertClose(e.f(), f.toFloatArray(), 2e-5, reference + " f");
            assertClose(e.xHat(), sae.decode(f).toFloatArray(), 2e-5, reference + " x_hat");
        }
    }

    @Test
    void gemmaScopeTakesItsHookFromThePathAndDoesNotSubtractBDec() {
        Path npz = sae(GEMMA_SCOPE).resolve("params.npz");
        try (SparseAutoencoder sae = SaeLoader.load(npz, manager)) {
            assertEquals(SaeArchitecture.JUMPRELU, sae.architecture());
            assertFalse(sae.applyBDecToInput());
            assertEquals(new SaeMetadata("google/gemma-2-2b", "blocks.5.hook_resid_post", 1024, true, true),
                    sae.metadata());
        }
    }

    @Test
    void gemmaScopeThresholdsDecide() {
        // The reference would not notice a missing threshold unless some ReLU-positive features stay off.
        SaeFixtures.Expected e = expected("gemma-scope");
        try (SparseAutoencoder sae = SaeLoader.load(sae(GEMMA_SCOPE), manager)) {
            float[] pre = sae.preActivations(e.x(sae.manager())).toFloatArray();
            int gated = 0;
            for (int i = 0; i < pre.length; i++) {
                gated += pre[i] > 0 && e.f()[i] == 0 ? 1 : 0;
            }
            assertTrue(gated > 10, "only " + gated + " features between 0 and their threshold");
        }
    }

    @Test
    void topKKeepsExactlyKPerRow() {
        SaeFixtures.Expected e = expected("saelens-v6-topk");
        try (SparseAutoencoder sae = SaeLoader.load(sae("saelens-v6-topk"), manager)) {
            assertEquals(8, sae.k());
            float[] f = sae.encode(e.x(sae.manager())).toFloatArray();
            for (int r = 0; r < e.rows(); r++) {
                int active = 0;
                for (int j = 0; j < D_SAE; j++) {
                    active += f[r * D_SAE + j] != 0 ? 1 : 0;
                }
                assertEquals(8, active, "row " + r);
            }
        }
    }

    @Test
    void readsMetadataOfBothConfigGenerations() {
        try (SparseAutoencoder v6 = SaeLoader.load(sae("saelens-v6-topk"), manager);
             SparseAutoencoder old = SaeLoader.load(sae("saelens-pre6-standard-f16"), manager);
             SparseAutoencoder v5 = SaeLoader.load(sae("saelens-pre6-topk"), manager)) {
            assertEquals(new SaeMetadata("tiny-stories-1M", "blocks.1.hook_resid_pre", 128, true, false), v6.metadata());
            assertTrue(v6.applyBDecToInput());
            assertEquals(new SaeMetadata("gpt2-small", "blocks.3.hook_resid_pre", 128, true, false), old.metadata());
            assertTrue(old.applyBDecToInput(), "SAELens's default when the field is absent");
            assertEquals(new SaeMetadata("pythia-70m-deduped", "blocks.2.hook_resid_post", 256, false, false),
                    v5.metadata());
            assertFalse(v5.applyBDecToInput());
            assertEquals(8, v5.k());
        }
    }

    @Test
    void foldsANonTrivialScalingFactorIntoTheDecoder(@TempDir Path dir) {
        Path folder = copy(sae("saelens-pre6-standard-f16"), dir.resolve("scaled"));
        float[] scaling = new float[D_SAE];
        for (int i = 0; i < D_SAE; i++) {
            scaling[i] = 0.5f + i / 32f;
        }
        rewriteWeights(folder, "scaling_factor", SafetensorsWriter.f32("scaling_factor", new long[] {D_SAE}, scaling));
        SaeFixtures.Expected e = expected("saelens-pre6-standard-f16");
        float[] wDec;
        float[] bDec;
        try (SafetensorsFile w = SafetensorsFile.open(folder.resolve(SaeLoader.WEIGHTS_FILE))) {
            wDec = w.toFloats("W_dec");
            bDec = w.toFloats("b_dec");
        }
        // SAELens before 6: x_hat = (f * scaling_factor) W_dec + b_dec, with f itself unscaled.
        float[] xHat = new float[e.rows() * D_IN];
        for (int r = 0; r < e.rows(); r++) {
            for (int j = 0; j < D_IN; j++) {
                double sum = bDec[j];
                for (int i = 0; i < D_SAE; i++) {
                    sum += (double) e.f()[r * D_SAE + i] * scaling[i] * wDec[i * D_IN + j];
                }
                xHat[r * D_IN + j] = (float) sum;
            }
        }
        try (SparseAutoencoder sae = SaeLoader.load(folder, manager)) {
            NDArray f = sae.encode(e.x(sae.manager()));
            assertClose(e.f(), f.toFloatArray(), 2e-5, "f");
            assertClose(xHat, sae.decode(f).toFloatArray(), 2e-5, "x_hat");
        }
    }

    @Test
    void readsTheLogThresholdOfOlderJumpReluCheckpoints(@TempDir Path dir) {
        Path folder = copy(sae("saelens-v6-jumprelu-bf16"), dir.resolve("log"));
        float[] threshold;
        try (SafetensorsFile w = SafetensorsFile.open(folder.resolve(SaeLoader.WEIGHTS_FILE))) {
            threshold = w.toFloats("threshold");
        }
        float[] log = new float[threshold.length];
        for (int i = 0; i < log.length; i++) {
            log[i] = (float) Math.log(threshold[i]);
        }
        rewriteWeights(folder, "threshold", SafetensorsWriter.f32("log_threshold", new long[] {D_SAE}, log));
        SaeFixtures.Expected e = expected("saelens-v6-jumprelu-bf16");
        try (SparseAutoencoder sae = SaeLoader.load(folder, manager)) {
            NDArray f = sae.encode(e.x(sae.manager()));
            assertClose(e.f(), f.toFloatArray(), 2e-5, "f");
            assertClose(e.xHat(), sae.decode(f).toFloatArray(), 2e-5, "x_hat");
        }
    }

    // ------------------------------------------------------------------ refused inputs

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
            broken("no d_sae", c -> c.remove("d_sae"), "field 'd_sae' is missing"),
            broken("d_in not a number", c -> c.put("d_in", "sixteen"), "field 'd_in' must be an integer, got \"sixteen\""),
            broken("unknown architecture", c -> c.put("architecture", "matryoshka"),
                    "unknown SAE architecture 'matryoshka' (known: standard, topk, jumprelu"),
            broken("gated", c -> c.put("architecture", "gated"), "architecture 'gated' is not supported"),
            broken("v6 without architecture", c -> c.remove("architecture"), "field 'architecture' is missing"),
            broken("expected_average_only_in", c -> c.put("normalize_activations", "expected_average_only_in"),
                    "normalize_activations 'expected_average_only_in' is not supported: inputs were scaled"),
            broken("constant_norm_rescale", c -> c.put("normalize_activations", "constant_norm_rescale"),
                    "normalize_activations 'constant_norm_rescale' is not supported"),
            broken("layer_norm", c -> c.put("normalize_activations", "layer_norm"),
                    "normalize_activations 'layer_norm' is not supported"),
            broken("normalize true", c -> c.put("normalize_activations", true),
                    "normalize_activations 'expected_average_only_in' is not supported"),
            broken("topk without k", c -> c.remove("k"), "a TopK SAE needs its k"),
            broken("k over d_sae", c -> c.put("k", 65), "field 'k' is 65, more than d_sae 64"),
            broken("apply_b_dec_to_input a string", c -> c.put("apply_b_dec_to_input", "yes"),
                    "field 'apply_b_dec_to_input' must be true or false"));
    }

    private static Arguments broken(String name, Consumer<ObjectNode> edit, String problem) {
        return Arguments.of(name, edit, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void refusesABrokenConfigNamingFileAndField(String name, Consumer<ObjectNode> edit, String problem,
                                                @TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-v6-topk"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        ObjectNode json = (ObjectNode) JSON.readTree(cfg.toFile());
        edit.accept(json);
        Files.writeString(cfg, json.toString());
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(cfg + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(cfg, e.file());
    }

    @Test
    void refusesAnUnsupportedPre6ActivationFunction(@TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-pre6-topk"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        Files.writeString(cfg, Files.readString(cfg).replace("\"topk\"", "\"tanh-relu\""));
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(cfg + ": activation function 'tanh-relu' is not supported"),
                e.getMessage());
    }

    @Test
    void refusesInvalidJson(@TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-v6-topk"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        Files.writeString(cfg, "{\"d_in\": 16,");
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(cfg + ": not valid JSON"), e.getMessage());
    }

    @Test
    void refusesAConfigWhoseSizesDisagreeWithTheTensors(@TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-v6-topk"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        ObjectNode json = (ObjectNode) JSON.readTree(cfg.toFile());
        json.put("d_sae", 65);
        Files.writeString(cfg, json.toString());
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertEquals(folder.resolve(SaeLoader.WEIGHTS_FILE) + ": tensor W_enc has shape [16, 64], but cfg.json gives"
                + " d_in 16 and d_sae 65, so it should be [16, 65]", e.getMessage());
    }

    @Test
    void refusesAJumpReluConfigOverWeightsWithoutThresholds(@TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-v6-topk"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        ObjectNode json = (ObjectNode) JSON.readTree(cfg.toFile());
        json.put("architecture", "jumprelu");
        Files.writeString(cfg, json.toString());
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(folder.resolve(SaeLoader.WEIGHTS_FILE) + ": missing tensor threshold"
                + " [d_sae] needed by a jumprelu SAE (the file holds [W_enc, W_dec, b_enc, b_dec])"), e.getMessage());
    }

    @Test
    void refusesTensorsTheArchitectureDoesNotHave(@TempDir Path dir) throws IOException {
        Path folder = copy(sae("saelens-v6-jumprelu-bf16"), dir.resolve("sae"));
        Path cfg = folder.resolve(SaeLoader.CONFIG_FILE);
        ObjectNode json = (ObjectNode) JSON.readTree(cfg.toFile());
        json.put("architecture", "standard");
        Files.writeString(cfg, json.toString());
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(folder.resolve(SaeLoader.WEIGHTS_FILE) + ": unexpected tensor [threshold]"
                + " for a standard SAE"), e.getMessage());
        assertTrue(e.getMessage().contains("does the config name the wrong architecture?"), e.getMessage());
    }

    @Test
    void refusesIntegerWeights(@TempDir Path dir) {
        Path folder = copy(sae("saelens-v6-topk"), dir.resolve("sae"));
        rewriteWeights(folder, "W_enc", SafetensorsWriter.i64("W_enc", new long[] {D_IN, D_SAE}, new long[D_IN * D_SAE]));
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertEquals(folder.resolve(SaeLoader.WEIGHTS_FILE) + ": tensor W_enc is I64; SAE weights must be floating"
                + " point (F32, F16, BF16 or F64)", e.getMessage());
    }

    @Test
    void refusesAConfigWithoutWeights(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("sae");
        Files.createDirectories(folder);
        Files.copy(sae("saelens-v6-topk").resolve(SaeLoader.CONFIG_FILE), folder.resolve(SaeLoader.CONFIG_FILE));
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(folder, manager));
        assertTrue(e.getMessage().startsWith(folder.resolve(SaeLoader.WEIGHTS_FILE) + ": no such file"), e.getMessage());
    }

    @Test
    void refusesAFolderThatHoldsNoSae(@TempDir Path dir) {
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(dir, manager));
        assertEquals(dir + ": not an SAE folder: it holds neither cfg.json and sae_weights.safetensors (SAELens) nor"
                + " params.npz (Gemma Scope)", e.getMessage());
        Path absent = dir.resolve("absent");
        e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(absent, manager));
        assertEquals(absent + ": no such file or folder", e.getMessage());
    }

    @Test
    void refusesAGemmaScopeArchiveWithoutThresholds(@TempDir Path dir) {
        Map<String, NpyArray> arrays = NpzReader.readAll(sae(GEMMA_SCOPE).resolve("params.npz"));
        arrays.remove("threshold");
        Path npz = dir.resolve("params.npz");
        NpyWriter.writeNpz(npz, arrays, false);
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(dir, manager));
        assertTrue(e.getMessage().startsWith(npz + ": missing array threshold [d_sae] needed by a jumprelu SAE"),
                e.getMessage());
    }

    @Test
    void refusesATransposedGemmaScopeDecoder(@TempDir Path dir) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>(NpzReader.readAll(sae(GEMMA_SCOPE).resolve("params.npz")));
        NpyArray wDec = arrays.get("W_dec");
        arrays.put("W_dec", new NpyArray(wDec.dtype(), new long[] {D_IN, D_SAE}, wDec.data()));
        Path npz = dir.resolve("params.npz");
        NpyWriter.writeNpz(npz, arrays, true);
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLoader.load(npz, manager));
        assertEquals(npz + ": array W_dec has shape [16, 64], but W_enc [16, 64] makes d_in 16 and d_sae 64, so it"
                + " should be [64, 16] (it looks transposed)", e.getMessage());
    }

    @Test
    void acceptsLowerCaseGemmaScopeNamesAndAPathWithoutLayout(@TempDir Path dir) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        NpzReader.readAll(sae(GEMMA_SCOPE).resolve("params.npz"))
                .forEach((k, v) -> arrays.put(k.startsWith("W_") ? "w_" + k.substring(2) : k, v));
        Path npz = dir.resolve("my.npz");
        NpyWriter.writeNpz(npz, arrays, true);
        SaeFixtures.Expected e = expected("gemma-scope");
        try (SparseAutoencoder sae = SaeLoader.load(npz, manager)) {
            assertEquals("", sae.metadata().hookName());
            assertClose(e.f(), sae.encode(e.x(sae.manager())).toFloatArray(), 2e-5, "f");
        }
    }

    @Test
    void readsTheMlpAndAttentionReleasesHooks(@TempDir Path dir) throws IOException {
        for (String[] c : new String[][] {{"gemma-scope-9b-it-mlp", "blocks.20.hook_mlp_out", "google/gemma-2-9b-it"},
            {"models--google--gemma-scope-27b-pt-att", "blocks.20.attn.hook_z", "google/gemma-2-27b"}}) {
            Path folder = dir.resolve(c[0]).resolve("layer_20/width_16k/average_l0_71");
            Files.createDirectories(folder);
            Files.copy(sae(GEMMA_SCOPE).resolve("params.npz"), folder.resolve("params.npz"));
            try (SparseAutoencoder sae = SaeLoader.load(folder, manager)) {
                assertEquals(c[1], sae.metadata().hookName());
                assertEquals(c[2], sae.metadata().modelName());
            }
        }
    }

    /** Rewrites the fixture's weights file with {@code replace} removed and {@code entry} added. */
    static void rewriteWeights(Path folder, String replace, SafetensorsWriter.Entry entry) {
        Path file = folder.resolve(SaeLoader.WEIGHTS_FILE);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        try (SafetensorsFile w = SafetensorsFile.open(file)) {
            for (TensorInfo info : w.infos()) {
                if (!info.name().equals(replace)) {
                    entries.add(new SafetensorsWriter.Entry(info.name(), info.dtype(), info.shape(),
                            copyOf(w.segment(info.name()))));
                }
            }
        }
        entries.add(entry);
        SafetensorsWriter.write(file, entries, null);
    }

    private static java.lang.foreign.MemorySegment copyOf(java.lang.foreign.MemorySegment s) {
        byte[] b = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return java.lang.foreign.MemorySegment.ofArray(b);
    }

    @Test
    void acceptsAFileOfASaeLensFolderForTheFolder() {
        for (String file : List.of(SaeLoader.CONFIG_FILE, SaeLoader.WEIGHTS_FILE)) {
            try (SparseAutoencoder sae = SaeLoader.load(sae("saelens-v6-topk").resolve(file), manager)) {
                assertEquals(SaeArchitecture.TOPK, sae.architecture(), file);
            }
        }
    }

    @Test
    void noSparsityOrThresholdOnStandardSaes() {
        try (SparseAutoencoder sae = SaeLoader.load(sae("saelens-pre6-standard-f16"), manager)) {
            assertNull(sae.threshold());
            assertEquals(0, sae.k());
        }
    }
}
