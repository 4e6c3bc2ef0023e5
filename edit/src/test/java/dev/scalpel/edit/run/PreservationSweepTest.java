package dev.scalpel.edit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.metrics.EditMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lambda is chosen by S on validation runs, the stronger preservation on a tie, and given to every method with one. */
class PreservationSweepTest {

    private static PreservationSweep.Candidate candidate(double ratio, double score) {
        var hp = EditHyperparameterFiles.load(EditMethod.MEMIT, "lab-lm", List.of());
        var batch = new SequentialRecords.Batch(1, 10, 1, 0.1, 5, Map.of(2, 1.0),
                Map.of(2, new MatrixDiagnostics(11, 3 / ratio, 0.1, 5, 3, 1)), null);
        var m = new EditMetrics(90, 80, 70, score, 600, 10);
        var run = new SequentialEditRun.Results("memit", new SequentialConfig(hp, 10, 1, 10, 0, 0),
                Provenance.of(new RunInputs("lab-lm", "0", Map.of(), 0), Map.of()), List.of(batch),
                List.of(new SequentialRecords.Evaluation(10, m, m, Map.of("perplexity", 40.0 + ratio), List.of())), null);
        return new PreservationSweep.Candidate(ratio, PreservationSweep.lambdaFor(ratio, 704), run);
    }

    @Test
    void theHighestScoreWinsAndATieGoesToTheStrongerPreservation() {
        var weak = candidate(7, 70);
        var paper = candidate(0.96, 75);
        var strong = candidate(0.32, 75);
        var choice = PreservationSweep.choose(List.of(weak, paper, strong));
        assertSame(strong, choice.chosen(), "0.32 and 0.96 tie on S; 0.32 preserves more");
        assertEquals(704 / 0.32, strong.lambda(), 1e-9);
        String table = choice.markdown();
        assertTrue(table.contains("| **chosen** 0.32 | 2200.0 | 75.0 | 90.0 | 80.0 | 70.0 | 40.3 | 9.38 |"), table);
        assertTrue(table.contains("| 7.00 | 100.6 | 70.0 |"), table);
        assertTrue(table.contains("MEMIT ran 10 sequential edits of validation facts"), table);
        assertThrows(IllegalArgumentException.class, () -> PreservationSweep.lambdaFor(0, 704));
    }

    @Test
    void everyMethodWithALambdaTakesTheChoiceAndTheRestAreUnchanged() {
        var memit = (MemitHyperparameters) PreservationSweep.withLambda(
                EditHyperparameterFiles.load(EditMethod.MEMIT, "lab-lm", List.of()), 2200);
        var encore = (EncoreHyperparameters) PreservationSweep.withLambda(
                EditHyperparameterFiles.load(EditMethod.ENCORE, "lab-lm", List.of()), 2200);
        assertEquals(2200, memit.covarianceWeight());
        assertEquals(2200, encore.covarianceWeight());
        assertEquals(1.0, encore.normWeight(), "lambda_n is not lambda_p");
        var alpha = (AlphaEditHyperparameters) EditHyperparameterFiles.load(EditMethod.ALPHAEDIT, "lab-lm", List.of());
        assertSame(alpha, PreservationSweep.withLambda(alpha, 2200));
    }
}
