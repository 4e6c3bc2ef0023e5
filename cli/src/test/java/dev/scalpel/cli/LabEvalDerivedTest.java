package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lab eval FOLDER` scores a model derived from lab-lm on lab-lm's own metrics; other tokenizers are refused. */
class LabEvalDerivedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode lastLine(String out) throws Exception {
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void theOriginalScoresAsItsManifestAndAPrunedCopyScoresOtherwise(@TempDir Path home) throws Exception {
        var built = new ChildScalpel(home).run("build", "lab", "build", "lab-lm", "--tiny", "--quiet");
        assertEquals(0, built.code(), built.err());
        Path model = home.resolve("lab/lab-lm-tiny/model");
        JsonNode manifest = JSON.readTree(home.resolve("lab/lab-lm-tiny/manifest.json").toFile()).path("metrics");

        var original = new ChildScalpel(home).run("eval", "lab", "eval", model.toString(), "--tiny", "--json");
        assertEquals(0, original.code(), original.err());
        JsonNode metrics = lastLine(original.out());
        // Built and scored in different processes, maybe with other thread counts (libtorch's sums then round
        // otherwise): equal up to float32 rounding, and fact recall up to one greedy near-tie.
        assertEquals(manifest.path("perplexity").asDouble(), metrics.path("perplexity").asDouble(),
                1e-5 * manifest.path("perplexity").asDouble(), "the same model on the same data scores the same");
        assertEquals(manifest.path("factRecall").asDouble(), metrics.path("fact_recall").asDouble(),
                1.0 / metrics.path("facts_evaluated").asInt() + 1e-12);

        Files.writeString(home.resolve("sums.txt"), "What is 3 plus 4? 3 + 4 = 7. The answer is 7.\n"
                + "What is 9 minus 2? 9 - 2 = 7. The answer is 7.\n");
        Files.writeString(home.resolve("prose.txt"), "The ship sailed at dawn and the harbor was quiet.\n");
        var pruned = new ChildScalpel(home).run("prune", "neuro", "prune", "--model", model.toString(), "--target",
                home.resolve("sums.txt").toString(), "--general", home.resolve("prose.txt").toString(), "--proportion",
                "0.15", "--samples", "4", "--out", home.resolve("pruned").toString());
        assertEquals(0, pruned.code(), pruned.err());
        var judged = new ChildScalpel(home).run("eval-pruned", "lab", "eval", home.resolve("pruned").toString(), "--tiny",
                "--json");
        assertEquals(0, judged.code(), judged.err());
        JsonNode after = lastLine(judged.out());
        assertNotEquals(metrics.path("perplexity").asDouble(), after.path("perplexity").asDouble());
        assertTrue(after.path("arithmetic_accuracy").size() == 4 && after.has("fact_recall"), after.toString());

        var foreign = new ChildScalpel(home).run("foreign", "lab", "eval",
                Path.of(System.getProperty("scalpel.fixtures")).resolve("gpt2-tiny").toString(), "--tiny");
        assertEquals(2, foreign.code(), foreign.out());
        assertTrue(foreign.err().contains("its tokenizer.json is not the lab's"), foreign.err());
    }
}
