package dev.scalpel.lab.build;

import dev.scalpel.core.train.PackedBatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.model.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny profile builds both lab models end to end, in Hugging Face layout, with manifests and reports. */
class LabBuilderTest {

    @Test
    void tinyBuildTrainsSavesEvaluatesAndIsReused(@TempDir Path home) throws IOException {
        LabBuilder builder = new LabBuilder(new LabHome(home), true);
        LabManifest lm = builder.build("lab-lm", LabProfile.TINY, false);
        Path folder = builder.modelFolder("lab-lm", LabProfile.TINY);
        try (LoadedModel m = LoadedModel.open(folder)) {
            assertEquals(Architecture.LLAMA, m.model().architecture());
            assertEquals(0, m.requireTokenizer().encode("a dog")[0], "the lab tokenizer starts with <bos>");
            assertEquals(lm.parameters(), m.model().parameters().count());
        }
        LmMetrics metrics = new ObjectMapper().convertValue(lm.metrics(), LmMetrics.class);
        assertTrue(metrics.perplexity() > 1 && metrics.perplexity() < LabProfile.TINY.vocabSize(),
                "trained perplexity is below the uniform guess: " + metrics.perplexity());
        assertTrue(metrics.factsEvaluated() > 0 && metrics.arithmeticAccuracy().size() == 4);
        assertEquals("test", metrics.split());
        assertTrue(metrics.kn4Perplexity() > 1 && metrics.kn4Perplexity() < LabProfile.TINY.vocabSize(),
                "the 4-gram baseline is scored on the same prose: " + metrics.kn4Perplexity());
        assertTrue(metrics.paraphraseRecall() >= 0 && metrics.paraphraseRecall() <= 1
                && metrics.heldOutPhrasingRecall() >= 0 && metrics.heldOutPhrasingRecall() <= 1);
        LmMetrics validation = new ObjectMapper().convertValue(lm.validationMetrics(), LmMetrics.class);
        assertEquals("validation", validation.split());
        assertNotEquals(validation.perplexity(), metrics.perplexity(), "validation and test are different prose");
        JsonNode history = new ObjectMapper().readTree(home.resolve("lab-lm-tiny/report/history.json").toFile());
        double first = history.get("steps").get(0).get("loss").asDouble();
        double last = history.get("steps").get(history.get("steps").size() - 1).get("loss").asDouble();
        assertTrue(last < first - 0.5, "training lowers the loss: " + first + " -> " + last);
        assertTrue(Files.size(home.resolve("lab-lm-tiny/report/training-curve.svg")) > 500);
        // The report a person reads: the recipe, the curve, every metric in its own row, no JSON in a cell.
        var report = dev.scalpel.core.report.ReportJson.read(Files.readString(home.resolve("lab-lm-tiny/report/report.json")));
        assertEquals(List.of("Recipe and run", "Training", "Evaluation", "Data"),
                report.sections().stream().filter(s -> !s.heading().isEmpty()).map(s -> s.heading()).toList());
        String html = Files.readString(home.resolve("lab-lm-tiny/report/report.html"));
        assertTrue(html.contains("<svg") && html.contains(String.format(java.util.Locale.ROOT, "%,d", lm.parameters()))
                && html.contains("fact_recall") && !html.contains("{&quot;") && !html.contains("{\""), "report.html");
        String perplexity = String.format(java.util.Locale.ROOT, "%.4f", metrics.perplexity());
        assertTrue(html.contains(perplexity), "the perplexity " + perplexity + " is in the report");
        assertTrue(lm.dataHash().matches("[0-9a-f]{64}") && lm.modelFlopsUtilization() > 0, lm.dataHash());

        LabManifest again = builder.build("lab-lm", LabProfile.TINY, false);
        assertEquals(lm.created(), again.created(), "a built model is reused, not rebuilt");
        // A model built with another recipe (as an older Scalpel's would be) is not this recipe's model: rebuilt.
        Path manifestFile = home.resolve("lab-lm-tiny/manifest.json");
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(manifestFile.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("training")).put("peakLearningRate", 0.5);
        new ObjectMapper().writeValue(manifestFile.toFile(), manifest);
        assertTrue(!builder.isBuilt("lab-lm", LabProfile.TINY), "built with another learning rate");
        LabManifest rebuilt = builder.build("lab-lm", LabProfile.TINY, false);
        assertTrue(!rebuilt.created().equals(lm.created()) && builder.isBuilt("lab-lm", LabProfile.TINY));
        assertEquals(lm.parameters(), rebuilt.parameters());

        LabManifest mdlm = builder.build("lab-mdlm", LabProfile.TINY, false);
        MdlmMetrics md = new ObjectMapper().convertValue(mdlm.metrics(), MdlmMetrics.class);
        assertTrue(Double.isFinite(md.perplexityBound()) && md.perplexityBound() > 1, "NELBO bound " + md.perplexityBound());
        assertEquals(lm.dataHash(), mdlm.dataHash(), "both models are built from the same data, hashed the same way");
        assertEquals(2, md.samples().size());
        assertTrue(Double.isFinite(md.samplePerplexity()), "lab-lm judges the samples");
        assertTrue(Double.isFinite(md.labLmPerplexity()) && Double.isFinite(md.heldOutPerplexityUnderLabLm()),
                "lab-lm is measured on the same held-out prose");
        try (LoadedModel m = LoadedModel.open(builder.modelFolder("lab-mdlm", LabProfile.TINY))) {
            assertEquals(Architecture.LLAMA, m.model().architecture());
            assertFalse(m.model().config().causal(), "lab-mdlm attends in both directions");
        }
    }

    @Test
    void packedBatchesAreAPureFunctionOfTheIndex() {
        int[] stream = new int[1000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i;
        }
        PackedBatches p = new PackedBatches(stream, 3, 10);
        assertEquals(100, p.windows());
        long[] b1 = p.batch(1);
        assertEquals(30, b1[0], "batch 1 starts at window 3");
        assertEquals(59, b1[29]);
        assertEquals(b1[0], p.batch(1)[0]);
        long[] wrapped = p.batch(34);   // windows 102..104 wrap to 2..4
        assertEquals(20, wrapped[0]);
    }


}
