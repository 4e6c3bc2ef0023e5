package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `reproduce sae-transfer` end to end on the tiny lab: the derived model made by continued pre-training and lab-mdlm-tiny,
 * each read as it is and through a learned map, judged in claims.md; a second invocation recomputes nothing.
 */
class ReproduceSaeTransferTinyTest {

    @Test
    void carriesTheProbesToBothTargetsAndResumes(@TempDir Path home) throws Exception {
        var built = new ChildScalpel(home).run("build", "lab", "build", "lab-lm", "lab-mdlm", "--tiny", "--quiet");
        assertEquals(0, built.code(), built.err());
        Path report = home.resolve("report");
        String[] command = {"reproduce", "sae-transfer", "--tiny", "--report", report.toString()};
        var done = new ChildScalpel(home).run("transfer", command);
        assertEquals(0, done.code(), done.err());
        String claims = Files.readString(report.resolve("claims.md"));
        for (String block : new String[] {"## lab-lm-tiny-continued, shared", "## lab-lm-tiny-continued, learned map",
            "## lab-mdlm-tiny, shared", "## lab-mdlm-tiny, learned map"}) {
            assertTrue(claims.contains(block), block + " in " + claims);
        }
        assertTrue(claims.contains("lab-lm-tiny after 8 steps of continued pre-training"), claims);
        JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
        assertEquals(4, results.path("blocks").size());
        for (JsonNode block : results.path("blocks")) {
            assertEquals(5, block.path("rows").size(), block.toString());
            double fvu = block.path("mapTestFvu").asDouble();
            assertTrue(fvu >= 0 && Double.isFinite(fvu), block.path("target") + ": " + fvu);
        }
        // The derived model moved from its source but still shares its space; a fitted map reads lab-mdlm-tiny
        // better than its raw residual stream does.
        JsonNode blocks = results.path("blocks");
        assertTrue(blocks.get(2).path("mapTestFvu").asDouble() > blocks.get(3).path("mapTestFvu").asDouble(),
                blocks.toString());
        assertTrue(Files.exists(report.resolve("report.html")) && Files.exists(report.resolve("chart.svg")));

        var again = new ChildScalpel(home).run("again", command);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("(resuming)"), "the continued pre-training is reused: " + again.out());
        assertEquals(4, again.out().split("\nreusing lab-", -1).length - 1, again.out());
        assertEquals(claims, Files.readString(report.resolve("claims.md")), "the same results, read back");
    }
}
