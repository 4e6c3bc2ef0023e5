package dev.scalpel.edit.encore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.metrics.EditMetrics;
import dev.scalpel.edit.run.SequentialConfig;
import dev.scalpel.edit.run.SequentialEditRun;
import dev.scalpel.edit.run.SequentialRecords;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunInputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The editing reproduction's verdicts on the ENCORE paper's claims, for outcomes that do and do not support them. */
class EncoreClaimsTest {

    /** One finished run: the last edited layer's ||W - W0||, S, perplexity and seconds per edit are what the claims read. */
    private static SequentialEditRun.Results run(EditMethod method, double deltaNorm, double score, double perplexity,
                                                 double secondsPerEdit) {
        EditHyperparameters hp = EditHyperparameterFiles.load(method, "lab-lm", List.of());
        SequentialConfig config = new SequentialConfig(hp, 10, 1, 10, 0, 0);
        var matrices = Map.of(2, new MatrixDiagnostics(10 + deltaNorm, deltaNorm, 0.1, 5, 3, 1));
        var batch = new SequentialRecords.Batch(1, 10, 10 * secondsPerEdit, secondsPerEdit, 20, Map.of(2, deltaNorm),
                matrices);
        var metrics = new EditMetrics(90, 70, 80, score, 600, 10);
        var evaluation = new SequentialRecords.Evaluation(10, metrics, metrics, Map.of("perplexity", perplexity), List.of());
        Provenance provenance = Provenance.of(new RunInputs("lab-lm", "0", Map.of(), 0), Map.of());
        return new SequentialEditRun.Results(method.cliName(), config, provenance, List.of(batch), List.of(evaluation));
    }

    @Test
    void encoreLeastAndFastestReproducesEveryClaim() {
        String claims = EncoreClaims.markdown(List.of(run(EditMethod.MEMIT, 150, 60, 140, 1.0),
                run(EditMethod.ALPHAEDIT, 130, 61, 120, 1.2), run(EditMethod.ENCORE, 100, 64, 110, 0.35)));
        assertTrue(claims.contains("1. MEMIT's edited-matrix norm grows fastest, ENCORE's least") && claims.contains(
                "100.00 for ENCORE, 130.00 for AlphaEdit. **Reproduced**"), claims);
        assertTrue(claims.contains("2. ENCORE keeps S") && claims.contains("perplexity 110.0 vs 140.0. **Reproduced**"), claims);
        assertTrue(claims.contains("-65%. **Reproduced**"), claims);
    }

    @Test
    void anotherMethodGrowingLeastOnlyPartlyReproducesTheNormClaim() {
        String claims = EncoreClaims.markdown(List.of(run(EditMethod.MEMIT, 150, 64, 146, 0.98),
                run(EditMethod.ALPHAEDIT, 120, 62, 112, 1.2), run(EditMethod.ENCORE, 135, 65, 130, 0.65)));
        assertTrue(claims.contains("**Partly reproduced: MEMIT's grows fastest, but alphaedit's, not ENCORE's, grows "
                + "least**"), claims);
        assertTrue(claims.contains("**Reproduced in direction, smaller than the paper's -61%**"), claims);
    }

    @Test
    void worseSpecificityAndSlowerEditsAreNotReproduced() {
        String claims = EncoreClaims.markdown(List.of(run(EditMethod.MEMIT, 100, 70, 120, 1.0),
                run(EditMethod.ENCORE, 140, 60, 150, 1.1)));
        assertTrue(claims.contains("140.00 for ENCORE. **Not reproduced**"), claims);
        assertTrue(claims.contains("perplexity 150.0 vs 120.0. **Not reproduced**"), claims);
        assertTrue(claims.contains("+10%. **Not reproduced**"), claims);
    }
}
