package dev.scalpel.edit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.ft.FineTuneHyperparameters;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --tune's grid is the product of its axes, applied as overrides; the highest S wins and a tie goes to the first. */
class ValidationTuningTest {

    private static ValidationTuning.Candidate candidate(String overrides, double score) {
        var axes = List.of(ValidationTuning.Axis.parse("ft:" + overrides));
        var hp = EditHyperparameterFiles.load(EditMethod.FT, "lab-lm", ValidationTuning.grid(axes).getFirst());
        var batch = new SequentialRecords.Batch(1, 10, 1, 0.1, 5, Map.of(2, 1.0),
                Map.of(2, new MatrixDiagnostics(11, 0.5, 0.1, 5, 3, 1)), null);
        var m = new EditMetrics(90, 80, 70, score, 600, 10, 40, 60);
        var run = new SequentialEditRun.Results("ft-l", new SequentialConfig(hp, 10, 1, 10, 0, 0),
                Provenance.of(new RunInputs("lab-lm", "0", Map.of(), 0), Map.of()), List.of(batch),
                List.of(new SequentialRecords.Evaluation(10, m, m, Map.of("perplexity", 41.0, "arithmetic_level_1", 0.5),
                        List.of())), null);
        return new ValidationTuning.Candidate(ValidationTuning.label(ValidationTuning.grid(axes).getFirst()), hp, run);
    }

    @Test
    void theGridIsTheProductOfTheAxesAndEachCandidateIsTheFileWithItsOverrides() {
        var axes = ValidationTuning.byMethod(List.of(ValidationTuning.Axis.parse("ft:normConstraint=5e-4|2e-3|8e-3"),
                ValidationTuning.Axis.parse("ft:steps=10|25"), ValidationTuning.Axis.parse("lora:rank=4|8")));
        assertEquals(List.of("ft", "lora"), List.copyOf(axes.keySet()));
        var grid = ValidationTuning.grid(axes.get("ft"));
        assertEquals(6, grid.size());
        assertEquals("normConstraint=5e-4, steps=10", ValidationTuning.label(grid.get(0)));
        assertEquals("normConstraint=5e-4, steps=25", ValidationTuning.label(grid.get(1)));
        assertEquals("normConstraint=8e-3, steps=25", ValidationTuning.label(grid.get(5)));
        var hp = (FineTuneHyperparameters) EditHyperparameterFiles.load(EditMethod.FT, "lab-lm", grid.get(5));
        assertEquals(8e-3, hp.normConstraint(), 0);
        assertEquals(25, hp.steps());
        var shipped = (FineTuneHyperparameters) EditHyperparameterFiles.load(EditMethod.FT, "lab-lm", List.of());
        assertEquals(shipped.learningRate(), hp.learningRate(), 0, "keys not tuned keep the file's values");
    }

    @Test
    void malformedOrRepeatedAxesAreRefusedByName() {
        assertThrows(ScalpelException.class, () -> ValidationTuning.Axis.parse("normConstraint=5e-4"));
        assertThrows(ScalpelException.class, () -> ValidationTuning.Axis.parse("ft:normConstraint="));
        assertThrows(ScalpelException.class, () -> ValidationTuning.Axis.parse("ft:steps=10||25"));
        assertThrows(ScalpelException.class, () -> ValidationTuning.Axis.parse("ft:steps=10|10"));
        var twice = List.of(ValidationTuning.Axis.parse("ft:steps=10"), ValidationTuning.Axis.parse("ft:steps=25"));
        var e = assertThrows(ScalpelException.class, () -> ValidationTuning.byMethod(twice));
        assertTrue(e.getMessage().contains("ft:steps"), e.getMessage());
    }

    @Test
    void theHighestScoreWinsATieGoesToTheFirstAndTheTableShowsWhatEachCost() {
        var small = candidate("normConstraint=5e-4", 60);
        var middle = candidate("normConstraint=2e-3", 75);
        var large = candidate("normConstraint=8e-3", 75);
        var choice = ValidationTuning.choose("ft", List.of(small, middle, large));
        assertSame(middle, choice.chosen(), "2e-3 and 8e-3 tie on S; 2e-3 was given first");
        String table = choice.markdown();
        assertTrue(table.contains("| **chosen** normConstraint=2e-3 | 75.0 | 90.0 | 80.0 | 70.0 | 40.0 | 60.0 | 41.0 "
                + "| 0.50 | 0.500 |"), table);
        assertTrue(table.contains("| normConstraint=5e-4 | 60.0 |"), table);
        assertTrue(table.contains("ft ran 10 sequential edits of validation facts"), table);
        assertThrows(IllegalArgumentException.class, () -> ValidationTuning.choose("ft", List.of()));
    }
}
