package dev.scalpel.edit.pretraining;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.model.LinearModule;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each verdict branch of the norm-growth claim, on runs whose norms are set by hand. */
class NormGrowthClaimsTest {
    private static final ContinuedPretrainingConfig CONFIG = new ContinuedPretrainingConfig(4, 2, 8, 1e-3, 1, 0.1, 1, 0);
    private static final List<LinearModule> MODULES = List.of(
            new LinearModule("q", 0, LinearModule.Role.QUERY, "q.weight", null, false, 4, 4, "in", List.of("out")),
            new LinearModule("down", 0, LinearModule.Role.MLP_DOWN, "down.weight", null, false, 8, 4, "in", List.of("o")));

    /** A run whose modules end at {@code ratios} times their starting norm of 2. */
    private static ContinuedPretraining.Results run(double... ratios) {
        Map<String, MatrixDiagnostics> start = new LinkedHashMap<>();
        Map<String, MatrixDiagnostics> end = new LinkedHashMap<>();
        for (int i = 0; i < MODULES.size(); i++) {
            start.put(MODULES.get(i).name(), new MatrixDiagnostics(2, 0, 0.5, 3, 1, 1));
            end.put(MODULES.get(i).name(), new MatrixDiagnostics(2 * ratios[i], 0.1, 0.5, 3, 1, 1));
        }
        var activity = List.of(new ActivationProbe.LayerActivity(0, 1, 1, 2, 0.5, 0.99, 5));
        return new ContinuedPretraining.Results(CONFIG, "text", MODULES, List.of(
                new ContinuedPretraining.Measurement(0, 0, 5, start, activity, Map.of("perplexity", 100.0)),
                new ContinuedPretraining.Measurement(4, 64, 4, end, activity, Map.of("perplexity", 90.0))), 1);
    }

    private static String claims(List<ContinuedPretraining.Results> runs) {
        return NormGrowthClaims.markdown("m", Map.of("weight decay 0.1", runs));
    }

    @Test
    void normsThatGrowInEverySeedBeyondTheNoiseReproduceTheClaim() {
        String md = claims(List.of(run(1.10, 1.20), run(1.12, 1.18), run(1.11, 1.21)));
        assertTrue(md.contains("share of modules whose norm grew: 1.00") && md.contains("**Reproduced** (beyond the noise"),
                md);
        assertTrue(md.contains("| query | 1 | 1.1100 [") && md.contains("| mlp_down | 1 | 1.1967 ["), md);
    }

    @Test
    void normsThatShrinkDoNotReproduceIt() {
        String md = claims(List.of(run(0.90, 0.95), run(0.92, 0.93), run(0.91, 0.94)));
        assertTrue(md.contains("**Not reproduced: the norms did not grow**") && !md.contains("within the seed"), md);
    }

    @Test
    void aMeanThatGrowsWithinTheNoiseIsSaidToBeInDirectionOnly() {
        String md = claims(List.of(run(1.10, 1.10), run(0.98, 0.98), run(1.01, 1.01)));
        assertTrue(md.contains("**In direction, within the noise**"), md);
    }

    @Test
    void oneSeedHasNoInterval() {
        String md = claims(List.of(run(1.1, 1.1)));
        assertTrue(md.contains("**Reproduced on one seed** (no interval to judge the noise)"), md);
        assertTrue(md.contains("## weight decay 0.1 (1 seed)"), md);
    }
}
