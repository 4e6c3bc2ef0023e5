package dev.scalpel.compress.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.eval.Perplexity;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.ShippedModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-model quantization of the shipped lab-lm (a trained 6-block Llama) on real prose: GPTQ's output error is below
 * RTN's in every module at every width, and so is the held-out loss it costs.
 */
class ModelQuantizerTest {
    @TempDir
    static Path home;
    static Path folder;
    static List<long[]> calibration;
    static int[] heldOut;

    @BeforeAll
    static void prose() throws IOException {
        folder = ShippedModels.of(new LabHome(home)).folder("lab-lm").orElseThrow().resolve("model");
        Tokenizer tokenizer = Tokenizer.load(folder);
        List<long[]> chapters = new ArrayList<>();
        var json = new ObjectMapper();
        try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                ModelQuantizerTest.class.getResourceAsStream("/dev/scalpel/lab/corpus/prose/moby-dick.jsonl.gz")),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && chapters.size() < 10) {
                chapters.add(tokenizer.encode(json.readTree(line).path("text").asText()));
            }
        }
        // Calibration: 16 windows of 128 tokens, two from each of chapters 1-8; held out: chapters 9-10.
        calibration = new ArrayList<>();
        for (long[] chapter : chapters.subList(0, 8)) {
            for (int at = 0; at + 128 <= chapter.length && calibration.size() < 2 * (chapters.indexOf(chapter) + 1);
                 at += 128) {
                calibration.add(Arrays.copyOfRange(chapter, at, at + 128));
            }
        }
        heldOut = chapters.subList(8, 10).stream().flatMapToLong(Arrays::stream).mapToInt(Math::toIntExact).toArray();
    }

    private record Outcome(ModelQuantizer.Result result, double perplexity) {
    }

    private static Outcome quantized(ModelQuantizer.Method method, int bits) {
        try (TransformerModel model = Models.load(folder)) {
            var config = new ModelQuantizer.Config(method, Gptq.Config.of(new QuantizationScheme(bits, 64, true)));
            var result = new ModelQuantizer(model, config, s -> { }).quantize(calibration, 8);
            return new Outcome(result, Perplexity.ofStream(model, heldOut, 128, 8));
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {3, 4})
    void gptqsOutputErrorIsBelowRtnsInEveryModuleAndSoIsTheLossItCosts(int bits) {
        double full;
        try (TransformerModel model = Models.load(folder)) {
            full = Perplexity.ofStream(model, heldOut, 128, 8);
        }
        Outcome rtn = quantized(ModelQuantizer.Method.RTN, bits);
        Outcome gptq = quantized(ModelQuantizer.Method.GPTQ, bits);
        assertEquals(6 * 7, gptq.result().reports().size(), "q, k, v, o, gate, up, down in each of 6 blocks");
        for (int i = 0; i < gptq.result().reports().size(); i++) {
            var g = gptq.result().reports().get(i);
            var r = rtn.result().reports().get(i);
            assertEquals(r.module(), g.module());
            assertTrue(g.relativeOutputError() < r.relativeOutputError(), g.module() + ": GPTQ "
                    + g.relativeOutputError() + " vs RTN " + r.relativeOutputError());
        }
        assertTrue(full < gptq.perplexity() && gptq.perplexity() < rtn.perplexity(), "perplexity: full " + full
                + ", GPTQ " + gptq.perplexity() + ", RTN " + rtn.perplexity());
    }

    @Test
    void theModelRunsOnItsDequantizedWeightsAndEachRowGroupHoldsAtMostTwoToTheBitsValues() {
        try (TransformerModel model = Models.load(folder)) {
            var config = new ModelQuantizer.Config(ModelQuantizer.Method.RTN, Gptq.Config.of(new QuantizationScheme(2, 64,
                    true)));
            var result = new ModelQuantizer(model, config, s -> { }).quantize(List.of(), 8);
            LinearModule down = model.linearModule(3, LinearModule.Role.MLP_DOWN);
            Matrix w = Matrix.from(model.parameters().get(down.weight()));
            assertEquals(result.modules().get(down.name()).dequantize(), w, "the model holds the dequantized weights");
            for (int row = 0; row < w.rows(); row++) {
                for (int group = 0; group < w.cols() / 64; group++) {
                    Set<Double> values = new HashSet<>();
                    for (int c = group * 64; c < (group + 1) * 64; c++) {
                        values.add(w.get(row, c));
                    }
                    assertTrue(values.size() <= 4, values.size() + " values in row " + row + ", group " + group);
                }
            }
            assertTrue(Double.isNaN(result.reports().getFirst().relativeOutputError()), "no calibration, no error");
        }
    }

    @Test
    void gptqWithoutCalibrationOrWithTooLongSequencesIsRefused() {
        try (TransformerModel model = Models.load(folder)) {
            var config = new ModelQuantizer.Config(ModelQuantizer.Method.GPTQ, Gptq.Config.of(new QuantizationScheme(4,
                    64, true)));
            var quantizer = new ModelQuantizer(model, config, s -> { });
            assertThrows(ScalpelException.class, () -> quantizer.quantize(List.of(), 8));
            var e = assertThrows(ScalpelException.class, () -> quantizer.quantize(List.of(new long[513]), 8));
            assertTrue(e.getMessage().contains("the model's context is 512"), e.getMessage());
        }
    }
}
