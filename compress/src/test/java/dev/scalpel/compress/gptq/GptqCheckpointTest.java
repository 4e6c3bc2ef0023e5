package dev.scalpel.compress.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Checkpoint;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model quantized here is written in transformers' GPTQ layout and loads back through {@code Models.load} with the
 * weights its codes stand for.
 */
class GptqCheckpointTest {

    @Test
    void aGptqFolderWeWriteLoadsBackWithTheWeightsItsCodesStandFor(@TempDir Path home) throws Exception {
        Path source = ShippedModels.of(new LabHome(home)).folder("lab-lm").orElseThrow().resolve("model");
        Path out = home.resolve("lab-lm-gptq-4bit");
        Random random = new Random(1);
        List<long[]> calibration = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calibration.add(random.longs(64, 3, 4100).toArray());
        }
        var config = new ModelQuantizer.Config(ModelQuantizer.Method.GPTQ,
                Gptq.Config.of(new QuantizationScheme(4, 64, true)).withActOrder(true, false));
        float[] quantizedLogits;
        ModelQuantizer.Result result;
        try (TransformerModel model = Models.load(source)) {
            result = new ModelQuantizer(model, config, s -> { }).quantize(calibration, 8);
            GptqCheckpoint.write(model, result, out);
            quantizedLogits = logits(model);
        }

        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(out.resolve("config.json").toFile());
        var q = json.path("quantization_config");
        assertEquals("gptq", q.path("quant_method").asText());
        assertEquals(4, q.path("bits").asInt());
        assertEquals(64, q.path("group_size").asInt());
        assertTrue(q.path("desc_act").asBoolean() && q.path("sym").asBoolean());
        assertTrue(Files.exists(out.resolve("tokenizer.json")), "the tokenizer travels with the weights");
        String down = "model.layers.2.mlp.down_proj";
        try (Checkpoint checkpoint = Checkpoint.open(out)) {
            assertFalse(checkpoint.contains(down + ".weight"), "a quantized module stores no dense weight");
            assertArrayEquals(new long[] {704 * 4 / 32, 256}, checkpoint.info(down + ".qweight").shape());
            assertArrayEquals(new long[] {11, 256 * 4 / 32}, checkpoint.info(down + ".qzeros").shape());
            assertEquals(DType.F16, checkpoint.info(down + ".scales").dtype());
            assertArrayEquals(new long[] {704}, checkpoint.info(down + ".g_idx").shape());
            assertTrue(checkpoint.contains("model.norm.weight"), "the rest is stored as it was");
        }

        GptqCheckpoint read = GptqCheckpoint.read(out);
        assertEquals(42, read.modules().size());
        var unpacked = read.modules().get(down).unpack(true, 64);
        assertArrayEquals(result.modules().get(down).codes(), unpacked.codes(), "the codes survive bit for bit");
        assertArrayEquals(result.modules().get(down).groupOfColumn(), unpacked.groupOfColumn(), "act-order's g_idx");
        try (TransformerModel loaded = Models.load(out)) {
            LinearModule module = loaded.linearModule(2, LinearModule.Role.MLP_DOWN);
            assertEquals(unpacked.dequantize(), Matrix.from(loaded.parameters().get(module.weight())),
                    "the loaded weight is scale x (code - zero) with the stored float16 scales");
            float[] loadedLogits = logits(loaded);
            double worst = 0;
            for (int i = 0; i < loadedLogits.length; i++) {
                worst = Math.max(worst, Math.abs(loadedLogits[i] - quantizedLogits[i]));
            }
            // The in-memory model used float32 scales; the checkpoint holds them in float16.
            assertTrue(worst < 0.05, "logits differ by up to " + worst);
            // Saved again, the loaded model is a dense checkpoint (the dequantized weights in float32) that loads as any
            // other, with the same weights.
            Path dense = home.resolve("dense");
            ModelWriter.save(loaded, dense);
            assertFalse(new ObjectMapper().readTree(dense.resolve("config.json").toFile()).has("quantization_config"));
            try (TransformerModel again = Models.load(dense)) {
                assertEquals(unpacked.dequantize(), Matrix.from(again.parameters().get(module.weight())),
                        "the dense copy holds the dequantized weights exactly");
            }
        }
    }

    /**
     * Loaded from a GPTQ folder, the quantized modules stay packed: the weights take far less memory, and the forward
     * pass through the dequantizing kernel (one position, as decoding runs) or through a dequantized copy (a prompt)
     * gives the logits of the same model with every weight dequantized.
     */
    @Test
    void aGptqModelRunsPackedWithLessMemoryAndTheLogitsOfItsDenseWeights(@TempDir Path home) {
        Path source = ShippedModels.of(new LabHome(home)).folder("lab-lm").orElseThrow().resolve("model");
        Path out = home.resolve("lab-lm-rtn-4bit");
        var config = new ModelQuantizer.Config(ModelQuantizer.Method.RTN, Gptq.Config.of(new QuantizationScheme(4, 64,
                true)));
        try (TransformerModel model = Models.load(source)) {
            GptqCheckpoint.write(model, new ModelQuantizer(model, config, s -> { }).quantize(List.of(), 8), out);
        }
        try (TransformerModel packed = Models.load(out); TransformerModel dense = Models.load(out)) {
            long quantizedFloatBytes = 4L * packed.linearModules().stream()
                    .mapToLong(m -> (long) m.inFeatures() * m.outFeatures()).sum();
            dense.parameters().asMap();   // every weight dequantized
            assertTrue(packed.parameters().hasPacked() && !dense.parameters().hasPacked());
            long saved = dense.parameters().residentBytes() - packed.parameters().residentBytes();
            assertTrue(saved > 0.8 * quantizedFloatBytes, "packing saves " + saved + " of the quantized modules' "
                    + quantizedFloatBytes + " float32 bytes");
            assertEquals(dense.parameters().count(), packed.parameters().count());
            for (long[] ids : new long[][] {{1000}, {0, 17, 230, 1000, 77, 5, 999, 42}}) {
                float[] a = logits(packed, ids);
                float[] b = logits(dense, ids);
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(worst < 1e-3, ids.length + " positions: logits differ by up to " + worst);
            }
            assertTrue(packed.parameters().hasPacked(), "running the model dequantized nothing for good");
        }
    }

    private static float[] logits(TransformerModel model, long[] tokens) {
        try (NDManager m = model.newManager()) {
            NDArray ids = m.create(tokens).reshape(1, tokens.length);
            return model.forward(ForwardRequest.of(ids), m).logits().toFloatArray();
        }
    }

    private static float[] logits(TransformerModel model) {
        try (NDManager m = model.newManager()) {
            NDArray ids = m.create(new long[] {0, 17, 230, 1000, 77, 5, 999, 42}).reshape(1, 8);
            return model.forward(ForwardRequest.of(ids), m).logits().toFloatArray();
        }
    }

    @Test
    void aFolderDeclaringAnotherQuantizationIsRefusedByName(@TempDir Path home) throws Exception {
        Path source = ShippedModels.of(new LabHome(home)).folder("lab-lm").orElseThrow().resolve("model");
        Path awq = home.resolve("awq");
        Files.createDirectories(awq);
        Files.copy(source.resolve("model.safetensors"), awq.resolve("model.safetensors"));
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(source.resolve("config.json").toFile());
        json.putObject("quantization_config").put("quant_method", "awq");
        Files.writeString(awq.resolve("config.json"), json.toString());
        var e = assertThrows(ScalpelException.class, () -> Models.load(awq));
        assertTrue(e.getMessage().contains("declares 'awq'") && e.getMessage().contains("config.json"), e.getMessage());
        e = assertThrows(ScalpelException.class, () -> GptqCheckpoint.read(awq));
        assertTrue(e.getMessage().contains("only GPTQ checkpoints are read"), e.getMessage());
    }

    /** GPT-2 stores its projections [in, out] (Conv1D): they are quantized as [out, in] and come back in their layout. */
    @Test
    void gpt2sConv1dModulesRoundTripInTheirOwnLayout(@TempDir Path home) {
        Path source = Path.of(System.getProperty("scalpel.fixtures")).resolve("gpt2-tiny");
        Path out = home.resolve("gpt2-rtn-4bit");
        var config = new ModelQuantizer.Config(ModelQuantizer.Method.RTN, Gptq.Config.of(new QuantizationScheme(4, 0,
                true)));
        float[] quantizedLogits;
        try (TransformerModel model = Models.load(source)) {
            var result = new ModelQuantizer(model, config, s -> { }).quantize(List.of(), 8);
            GptqCheckpoint.write(model, result, out);
            quantizedLogits = logits(model);
        }
        GptqCheckpoint read = GptqCheckpoint.read(out);
        try (TransformerModel loaded = Models.load(out)) {
            for (LinearModule module : loaded.linearModules()) {
                Matrix stored = Matrix.from(loaded.parameters().get(module.weight()));
                assertEquals(read.modules().get(module.name()).unpack(true, 0).dequantize().transpose(), stored,
                        module.name() + " is stored [in, out] again");
            }
            float[] loadedLogits = logits(loaded);
            for (int i = 0; i < loadedLogits.length; i++) {
                assertEquals(quantizedLogits[i], loadedLogits[i], 0.05, "logit " + i);
            }
        }
    }
}
