package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `reproduce editing` end to end on the tiny lab: lambda chosen on validation facts, then every method on each seed's
 * own sample of test facts, ENCORE's ablation beside them, and claims.md judged over the seeds.
 */
class ReproduceEditingTinyTest {

    @Test
    void lambdaIsChosenOnValidationFactsAndEachSeedEditsItsOwnSample(@TempDir Path home) throws Exception {
        Path report = home.resolve("report");
        var built = new ChildScalpel(home).run("build", "lab", "build", "lab-lm", "--tiny", "--quiet");
        assertEquals(0, built.code(), built.err());
        var done = new ChildScalpel(home).run("reproduce", "reproduce", "editing", "--tiny", "--edits", "4",
                "--batch-size", "2", "--seeds", "0,1", "--lambda-ratios", "1,7", "--methods", "memit,encore,memit+norm,ft",
                "--tune", "ft:normConstraint=5e-4|8e-3", "--validation-edits", "2",
                "--report", report.toString(), "--work", home.resolve("work").toString());
        assertEquals(0, done.code(), done.err());
        String claims = Files.readString(report.resolve("claims.md"));
        assertTrue(claims.contains("## Preservation strength, chosen on validation facts") && claims.contains(
                "| **chosen** "), claims);
        assertTrue(claims.contains("2 seeds (each a different sample of the test facts)"), claims);
        assertTrue(claims.contains("| unedited model | 0 |"), claims);
        assertTrue(claims.contains("## Attribution: ENCORE's parts one at a time") && claims.contains(
                "| memit+norm | no | yes |"), claims);

        JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
        JsonNode choice = results.path("preservation_choice");
        double lambda = choice.path("chosen").path("lambda").asDouble();
        Set<String> validationFacts = new HashSet<>();
        for (JsonNode c : choice.path("candidates")) {
            validationFacts.add(c.path("run").path("provenance").path("inputs").path("data").path("requests").asText());
        }
        assertEquals(1, validationFacts.size(), "every candidate edits the same validation facts");
        JsonNode runs = results.path("runs");
        assertTrue(claims.contains("## ft's hyperparameters, chosen on validation facts"), claims);
        JsonNode tuned = results.path("validation_tuning").path("ft");
        assertEquals(2, tuned.path("candidates").size());
        for (JsonNode c : tuned.path("candidates")) {
            assertEquals(2, c.path("run").path("evaluations").get(c.path("run").path("evaluations").size() - 1)
                    .path("editsSoFar").asInt(), "--validation-edits sets the validation runs' length");
            assertTrue(validationFacts.contains(requests(c.path("run"))), "ft is tuned on the same validation facts");
        }
        assertEquals(tuned.path("chosen").path("hyperparameters").path("normConstraint").asDouble(),
                runs.path("ft").get(0).path("config").path("hyperparameters").path("normConstraint").asDouble(), 0,
                "ft's reported runs take the value chosen on validation facts");
        for (String method : new String[] {"memit", "encore", "memit+norm"}) {
            JsonNode seeds = runs.path(method);
            assertEquals(2, seeds.size(), method);
            assertEquals(lambda, seeds.get(0).path("config").path("hyperparameters").path("covarianceWeight").asDouble(),
                    1e-9, method + " takes the lambda chosen on validation facts");
            String first = requests(seeds.get(0));
            assertNotEquals(first, requests(seeds.get(1)), method + ": each seed edits its own sample");
            assertTrue(!validationFacts.contains(first), "no reported run edits the validation sample");
            assertEquals(first, requests(runs.path("memit").get(0)), "every method edits seed 0's sample");
            assertTrue(seeds.get(0).path("unedited").path("neighborhood").isNumber(), "the unedited baseline is kept");
        }
    }

    private static String requests(JsonNode run) {
        return run.path("provenance").path("inputs").path("data").path("requests").asText();
    }
}
