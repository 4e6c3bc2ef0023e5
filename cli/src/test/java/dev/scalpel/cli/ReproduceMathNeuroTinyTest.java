package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `reproduce mathneuro --tiny` end to end: the grids evaluated, the claims judged, the report written. */
class ReproduceMathNeuroTinyTest {

    @Test
    void everyGridIsEvaluatedAndTheClaimsJudged(@TempDir Path home) throws Exception {
        var built = new ChildScalpel(home).run("build", "lab", "build", "lab-lm", "--tiny", "--quiet");
        assertEquals(0, built.code(), built.err());
        Path report = home.resolve("report");
        var done = new ChildScalpel(home).run("reproduce", "reproduce", "mathneuro", "--tiny", "--report",
                report.toString(), "--work", home.resolve("work").toString());
        assertEquals(0, done.code(), done.err());
        JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
        // the unmodified model + 2 repeats x 2 K x 4 methods; + 2 repeats x 1 K x 1 factor; the test grid likewise
        assertEquals(17, results.path("cells").path("validation_pruning").size());
        assertEquals(3, results.path("cells").path("validation_scaling").size());
        assertEquals(3, results.path("cells").path("test").size());
        assertEquals(2, results.path("pruning").size());
        JsonNode recovered = results.path("sample_count").path("recovered_share_of_the_reference_set");
        assertTrue(recovered.has("1") && recovered.has("4"), recovered.toString());
        // lab-lm-tiny solves no problem: pruning cannot be said to collapse it.
        for (JsonNode p : results.path("pruning")) {
            assertFalse(p.path("collapses").asBoolean(), p.toString());
        }
        String readme = Files.readString(report.resolve("README.md"));
        assertTrue(readme.contains("untestable: the unmodified model scores 0") && readme.contains("## How many samples"),
                readme);
        assertTrue(Files.readString(report.resolve("pruning-arithmetic.svg")).contains("mathneuro"));
    }
}
