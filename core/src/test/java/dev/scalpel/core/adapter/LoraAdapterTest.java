package dev.scalpel.core.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters: the PEFT files, the merge against a brute-force W + s B A, and what is refused. */
class LoraAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Matrix random(int rows, int cols, SplittableRandom random) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 0.1);   // float-representable, so a float32 file keeps it exactly
        }
        return new Matrix(rows, cols, v);
    }

    /** A rank-{@code r} adapter on the given modules of {@code model}, seeded. */
    private static LoraAdapter adapter(TransformerModel model, int r, double alpha, long seed, LinearModule... targets) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LoraAdapter.Factors> modules = new LinkedHashMap<>();
        for (LinearModule m : targets) {
            modules.put(m.name(), new LoraAdapter.Factors(random(r, m.inFeatures(), random),
                    random(m.outFeatures(), r, random)));
        }
        return new LoraAdapter(r, alpha, false, modules);
    }

    private static float[] weight(TransformerModel model, LinearModule m) {
        return model.parameters().get(m.weight()).toFloatArray();
    }

    @Test
    void peftFilesRoundTripWithTheirNamesAndConfig(@TempDir Path dir) throws Exception {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel llama = Models.load(Fixtures.model("llama-tiny"), nd)) {
            LinearModule down = llama.linearModule(0, LinearModule.Role.MLP_DOWN);
            LinearModule q = llama.linearModule(1, LinearModule.Role.QUERY);
            LoraAdapter written = adapter(llama, 4, 8, 1, down, q);
            PeftFormat.write(written, llama, "llama-tiny", dir);

            JsonNode config = JSON.readTree(dir.resolve(PeftFormat.CONFIG).toFile());
            assertEquals("LORA", config.get("peft_type").asText());
            assertEquals(4, config.get("r").asInt());
            assertEquals(8.0, config.get("lora_alpha").asDouble());
            assertEquals(false, config.get("fan_in_fan_out").asBoolean());
            assertEquals(List.of("model.layers.0.mlp.down_proj", "model.layers.1.self_attn.q_proj"),
                    JSON.convertValue(config.get("target_modules"), List.class));
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(PeftFormat.WEIGHTS))) {
                assertArrayEquals(new long[] {4, down.inFeatures()},
                        file.info("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight").shape());
                assertArrayEquals(new long[] {down.outFeatures(), 4},
                        file.info("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight").shape());
            }
            LoraAdapter read = PeftFormat.read(dir);
            assertEquals(written, read);
            assertEquals(2.0, read.scale());
        }
    }

    @Test
    void mergeAddsScaledBTimesAToLinearAndConv1dWeights() {
        for (String fixture : List.of("llama-tiny", "gpt2-tiny")) {
            try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), nd)) {
                LinearModule down = model.linearModule(1, LinearModule.Role.MLP_DOWN);
                LoraAdapter adapter = adapter(model, 3, 6, 2, down);
                float[] before = weight(model, down);
                adapter.mergeInto(model);
                float[] after = weight(model, down);
                Matrix a = adapter.modules().get(down.name()).a();
                Matrix b = adapter.modules().get(down.name()).b();
                double maxError = 0;
                for (int o = 0; o < down.outFeatures(); o++) {
                    for (int i = 0; i < down.inFeatures(); i++) {
                        double change = 0;
                        for (int k = 0; k < 3; k++) {
                            change += b.get(o, k) * a.get(k, i);
                        }
                        // GPT-2's Conv1D stores [in, out]; nn.Linear stores [out, in].
                        int at = down.storedInByOut() ? i * down.outFeatures() + o : o * down.inFeatures() + i;
                        maxError = Math.max(maxError, Math.abs(after[at] - (before[at] + 2.0 * change)));
                    }
                }
                assertTrue(maxError < 1e-6, fixture + ": merged weight off by " + maxError);
            }
        }
    }

    @Test
    void gpt2AdaptersSayFanInFanOut(@TempDir Path dir) throws Exception {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel gpt2 = Models.load(Fixtures.model("gpt2-tiny"), nd)) {
            PeftFormat.write(adapter(gpt2, 2, 2, 3, gpt2.linearModule(0, LinearModule.Role.MLP_DOWN)), gpt2, "gpt2-tiny", dir);
            assertTrue(JSON.readTree(dir.resolve(PeftFormat.CONFIG).toFile()).get("fan_in_fan_out").asBoolean());
        }
    }

    @Test
    void rankStabilizedScaleIsAlphaOverRootRank() {
        Matrix a = new Matrix(4, 1, new double[] {1, 1, 1, 1});
        Matrix b = new Matrix(1, 4, new double[] {1, 0, 0, 0});
        assertEquals(4.0, new LoraAdapter(4, 8, true, Map.of("m", new LoraAdapter.Factors(a, b))).scale());
        assertEquals(2.0, new LoraAdapter(4, 8, false, Map.of("m", new LoraAdapter.Factors(a, b))).delta("m").get(0, 0));
    }

    @Test
    void anAdapterForAnotherModelChangesNothing() {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel llama = Models.load(Fixtures.model("llama-tiny"), nd)) {
            LinearModule down = llama.linearModule(0, LinearModule.Role.MLP_DOWN);
            LoraAdapter good = adapter(llama, 2, 2, 4, down);
            Map<String, LoraAdapter.Factors> modules = new LinkedHashMap<>(good.modules());
            modules.put("model.layers.9.mlp.down_proj", good.modules().get(down.name()));
            float[] before = weight(llama, down);
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> new LoraAdapter(2, 2, false, modules).mergeInto(llama));
            assertTrue(e.getMessage().contains("model.layers.9.mlp.down_proj"), e.getMessage());
            assertArrayEquals(before, weight(llama, down), "checked before anything changed");
            Map<String, LoraAdapter.Factors> wrongShape = Map.of(down.name(),
                    new LoraAdapter.Factors(new Matrix(2, 3, new double[6]), new Matrix(5, 2, new double[10])));
            assertTrue(assertThrows(ScalpelException.class, () -> new LoraAdapter(2, 2, false, wrongShape).mergeInto(llama))
                    .getMessage().contains("[5, 3]"));
        }
    }

    @Test
    void refusesWhatAPlainMergeCannotExpress(@TempDir Path dir) throws Exception {
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel llama = Models.load(Fixtures.model("llama-tiny"), nd)) {
            PeftFormat.write(adapter(llama, 2, 2, 5, llama.linearModule(0, LinearModule.Role.MLP_DOWN)), llama, "x", dir);
        }
        Path config = dir.resolve(PeftFormat.CONFIG);
        ObjectNode original = (ObjectNode) JSON.readTree(config.toFile());
        Map<String, java.util.function.Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("DoRA", c -> c.put("use_dora", true));
        edits.put("bias is 'all'", c -> c.put("bias", "all"));
        edits.put("modules_to_save", c -> c.putArray("modules_to_save").add("lm_head"));
        edits.put("rank_pattern", c -> c.putObject("rank_pattern").put("down_proj", 8));
        edits.put("peft_type is 'IA3'", c -> c.put("peft_type", "IA3"));
        edits.put("r must be a positive integer", c -> c.put("r", 0));
        for (var e : edits.entrySet()) {
            ObjectNode changed = original.deepCopy();
            e.getValue().accept(changed);
            JSON.writeValue(config.toFile(), changed);
            String message = assertThrows(ScalpelException.class, () -> PeftFormat.read(dir)).getMessage();
            assertTrue(message.contains(e.getKey()) && message.contains(PeftFormat.CONFIG), message);
        }
        JSON.writeValue(config.toFile(), original.deepCopy().put("r", 3));
        assertTrue(assertThrows(ScalpelException.class, () -> PeftFormat.read(dir)).getMessage().contains("but r is 3"));
        JSON.writeValue(config.toFile(), original);
        Files.move(dir.resolve(PeftFormat.WEIGHTS), dir.resolve("adapter_model.bin"));
        assertTrue(assertThrows(ScalpelException.class, () -> PeftFormat.read(dir)).getMessage().contains("pickle"));
    }
}
