package dev.scalpel.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder resumes only its own run, and a killed checkpoint never leaves it without one whole checkpoint. */
class RunFolderTest {
    private static final RunInputs INPUTS = new RunInputs("lab-lm", "weights-a", Map.of("texts", "hash-1"), 7);

    record Settings(int steps, double rate) {
    }

    private static Provenance provenance(RunInputs inputs) {
        return new Provenance(inputs, "test", new Machine("cpu", 2, 1024, "os", "java", "djl", "torch", 1), Map.of());
    }

    @Test
    void aNewFolderWritesItsKeyAndProvenanceAndTheSameKeyResumes(@TempDir Path dir) throws Exception {
        var key = RunFolder.key("train", new Settings(10, 0.1), INPUTS);
        RunFolder first = RunFolder.open(dir.resolve("run"), key, provenance(INPUTS));
        assertFalse(first.resumed());
        var saved = new ObjectMapper().readTree(dir.resolve("run/run.json").toFile());
        assertEquals("weights-a", saved.at("/key/weights").asText());
        assertEquals(10, saved.at("/key/configuration/steps").asInt());
        assertEquals("hash-1", saved.at("/key/data/texts").asText());
        assertEquals(7, saved.at("/key/seed").asLong());
        assertEquals("lab-lm", saved.at("/provenance/inputs/model").asText());
        assertEquals("cpu", saved.at("/provenance/machine/cpu").asText());
        // The model's name is provenance, not key: the same weights under another path resume.
        RunInputs renamed = new RunInputs("/elsewhere/lab-lm", "weights-a", Map.of("texts", "hash-1"), 7);
        assertTrue(RunFolder.open(dir.resolve("run"), RunFolder.key("train", new Settings(10, 0.1), renamed),
                provenance(renamed)).resumed());
    }

    @Test
    void anotherKeyIsRefusedWithEveryDifferenceNamed(@TempDir Path dir) {
        RunFolder.open(dir, RunFolder.key("train", new Settings(10, 0.1), INPUTS), provenance(INPUTS));
        RunInputs other = new RunInputs("lab-lm", "weights-b", Map.of("texts", "hash-2"), 8);
        var e = assertThrows(ScalpelException.class, () -> RunFolder.open(dir,
                RunFolder.key("train", new Settings(20, 0.1), other), provenance(other)));
        for (String expected : List.of("configuration.steps (saved 10, now 20)", "weights (saved \"weights-a\"",
                "data.texts (saved \"hash-1\"", "seed (saved 7, now 8)")) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
    }

    @Test
    void stateWithoutARunFileIsRefusedRatherThanGuessed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("state"));
        var e = assertThrows(ScalpelException.class,
                () -> RunFolder.open(dir, RunFolder.key("train", new Settings(1, 1), INPUTS), provenance(INPUTS)));
        assertTrue(e.getMessage().contains("no run.json"), e.getMessage());
    }

    @Test
    void aCheckpointReplacesThePreviousOneWhole(@TempDir Path dir) throws Exception {
        RunFolder run = RunFolder.open(dir, RunFolder.key("train", new Settings(1, 1), INPUTS), provenance(INPUTS));
        assertFalse(run.hasState());
        run.checkpoint(tmp -> Files.writeString(tmp.resolve("step.txt"), "1"));
        run.checkpoint(tmp -> Files.writeString(tmp.resolve("step.txt"), "2"));
        assertEquals("2", Files.readString(run.state().resolve("step.txt")));
        // A checkpoint whose writer fails leaves the previous checkpoint in place.
        assertThrows(ScalpelException.class, () -> run.checkpoint(tmp -> {
            Files.writeString(tmp.resolve("step.txt"), "3");
            throw new java.io.IOException("disk full");
        }));
        assertEquals("2", Files.readString(run.state().resolve("step.txt")));
        // Killed after setting the old checkpoint aside and before moving the new one in: the old one is taken up.
        Files.move(run.state(), dir.resolve("state.old"));
        assertTrue(run.hasState());
        assertEquals("2", Files.readString(run.state().resolve("step.txt")));
    }

    @Test
    void keyedFoldersPutOtherSettingsBesideAndSayWhy(@TempDir Path dir) {
        List<String> log = new ArrayList<>();
        RunFolder a = RunFolder.keyed(dir, "sae", RunFolder.key("sae", new Settings(10, 0.1), INPUTS), provenance(INPUTS),
                log::add);
        RunFolder b = RunFolder.keyed(dir, "sae", RunFolder.key("sae", new Settings(10, 0.2), INPUTS), provenance(INPUTS),
                log::add);
        assertFalse(a.path().equals(b.path()));
        assertTrue(a.path().getFileName().toString().matches("sae-[0-9a-f]{16}"), a.path().toString());
        assertEquals(1, log.size());
        assertTrue(log.getFirst().contains("configuration.rate (saved 0.1, now 0.2)"), log.getFirst());
        assertTrue(RunFolder.keyed(dir, "sae", RunFolder.key("sae", new Settings(10, 0.1), INPUTS), provenance(INPUTS),
                log::add).resumed());
    }
}
