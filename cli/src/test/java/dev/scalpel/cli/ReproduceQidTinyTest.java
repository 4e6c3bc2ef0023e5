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

/** `reproduce qid --tiny` end to end: the ladder trained, every cell measured, the law fitted, the claims scored. */
class ReproduceQidTinyTest {

    @Test
    void theTinyLadderIsTrainedMeasuredFittedAndReused(@TempDir Path home) throws Exception {
        Path report = home.resolve("report");
        String[] command = {"reproduce", "qid", "--tiny", "--resamples", "20", "--report", report.toString(), "--work",
            home.resolve("work").toString()};
        var done = new ChildScalpel(home).run("reproduce", command);
        assertEquals(0, done.code(), done.err());
        JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
        // 2 sizes x 3 checkpoints x 4 widths x 2 methods
        JsonNode cells = results.path("cells");
        assertEquals(48, cells.size());
        for (JsonNode c : cells) {
            assertEquals(c.path("quantizedLoss").asDouble() - c.path("fullLoss").asDouble(), c.path("qid").asDouble(), 1e-12);
        }
        for (String method : new String[] {"rtn", "gptq"}) {
            JsonNode fit = results.path("fits").path(method);
            assertTrue(fit.has("log_linear") && fit.has("nonlinear"), "each method is fitted on its own: " + fit);
            assertEquals(24, fit.path("nonlinear").path("observations").asInt(), "the nonlinear fit reads every cell");
            assertEquals(3, results.path("claims").path(method).size());
        }
        assertEquals(3, results.path("claims").path("all").size());
        String readme = Files.readString(report.resolve("README.md"));
        assertTrue(readme.contains("## The paper's claims") && readme.contains("| paper (Pythia)")
                && readme.contains("**GPTQ, 2 bits**") && readme.contains("| s |"), readme);
        assertEquals(2, results.path("sizes").size());
        for (int bits : new int[] {2, 3, 4, 8}) {
            assertTrue(Files.readString(report.resolve("qid-" + bits + "bit.svg")).contains("s gptq"));
        }
        assertTrue(Files.readString(report.resolve("report.html")).contains("QiD grows with training tokens"));

        var again = new ChildScalpel(home).run("again", command);
        assertEquals(0, again.code(), again.err());
        assertFalse(again.out().contains("training size"), again.out());
        JsonNode reread = new ObjectMapper().readTree(report.resolve("results.json").toFile()).path("cells");
        assertEquals(cells, reread, "every cell is the cached one, seconds and all");
    }
}
