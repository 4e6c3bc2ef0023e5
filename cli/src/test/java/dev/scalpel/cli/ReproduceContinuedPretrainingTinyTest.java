package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `reproduce continued-pretraining` end to end on the tiny lab: two weight decays x two seeds, judged in claims.md. */
class ReproduceContinuedPretrainingTinyTest {

    @Test
    void everySettingAndSeedIsTrainedMeasuredAndJudged(@TempDir Path home) throws Exception {
        var built = new ChildScalpel(home).run("build", "lab", "build", "lab-lm", "--tiny", "--quiet");
        assertEquals(0, built.code(), built.err());
        Path report = home.resolve("report");
        String[] command = {"reproduce", "continued-pretraining", "--tiny", "--seeds", "0,1", "--weight-decays", "0.1,0",
            "--measurements", "2", "--report", report.toString(), "--work", home.resolve("work").toString()};
        var done = new ChildScalpel(home).run("reproduce", command);
        assertEquals(0, done.code(), done.err());
        String claims = Files.readString(report.resolve("claims.md"));
        assertTrue(claims.contains("## weight decay 0.1 (2 seeds)") && claims.contains("## weight decay 0.0 (2 seeds)"),
                claims);
        assertTrue(claims.contains("Claim: the norm of the updated matrices grows.") && claims.contains("| mlp_down | 2 |")
                && claims.contains("| arithmetic level 1 |"), claims);
        JsonNode settings = new ObjectMapper().readTree(report.resolve("results.json").toFile()).path("settings");
        JsonNode runs = settings.path("weight decay 0.1");
        assertEquals(2, runs.size());
        assertEquals(3, runs.get(0).path("measurements").size(), "the starting model and two checkpoints");
        assertTrue(Files.exists(report.resolve("report.html")));

        // A second invocation reuses the four finished runs: nothing is trained again, and the checkpoints it measures
        // are the same files (their norms agree exactly; the losses are recomputed and left out of the comparison).
        var again = new ChildScalpel(home).run("again", command);
        assertEquals(0, again.code(), again.err());
        assertEquals(4, again.out().split("\\(resuming\\)", -1).length - 1, again.out());
        JsonNode reread = new ObjectMapper().readTree(report.resolve("results.json").toFile()).path("settings");
        JsonNode before = runs.get(1).path("measurements").get(2).path("matrices");
        JsonNode after = reread.path("weight decay 0.1").get(1).path("measurements").get(2).path("matrices");
        before.fieldNames().forEachRemaining(module -> {
            for (String norm : new String[] {"norm", "deltaNorm"}) {
                assertEquals(before.path(module).path(norm).asDouble(), after.path(module).path(norm).asDouble(), 0,
                        module + " " + norm);
            }
        });
        assertEquals(14, before.size(), "every linear module of lab-lm-tiny's two blocks");
    }
}
