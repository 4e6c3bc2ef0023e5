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
        assertTrue(results.path("fits").has("log_linear") && results.path("fits").has("nonlinear"), results.toString());
        assertEquals(3, results.path("claims").size());
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
