package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.lab.corpus.Split;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's short evaluation gives the full evaluation's numbers for the metrics they share. */
class LmEvaluatorEssentialsTest {

    @Test
    void essentialsAgreeWithTheFullEvaluation(@TempDir Path home) {
        LabBuilder builder = new LabBuilder(new LabHome(home), true);
        builder.build("lab-lm", LabProfile.TINY, false);
        LabSpec spec = LabSpec.of("lab-lm", LabProfile.TINY);
        try (LabData data = LabData.prepare(new LabHome(home), LabProfile.TINY, LabSpec.SEED);
             LoadedModel m = LoadedModel.open(builder.modelFolder("lab-lm", LabProfile.TINY))) {
            var evaluator = new LmEvaluator(m.model(), data.tokenizer(), data.special().eosId(), data.special().padId());
            LmMetrics full = evaluator.evaluate(data, Split.VALIDATION, 40, 6, spec.sequenceLength());
            Map<String, Double> essentials = evaluator.essentials(data, Split.VALIDATION, 40, 6, spec.sequenceLength());
            assertEquals(full.perplexity(), essentials.get("prose_perplexity"), 1e-9 * full.perplexity());
            assertEquals(full.factRecall(), essentials.get("fact_recall"), 0);
            full.arithmeticAccuracy().forEach((level, a) ->
                    assertEquals(a, essentials.get("arithmetic_level" + level), 0, "level " + level));
            assertEquals(full.arithmeticAccuracy().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    essentials.get("arithmetic"), 1e-12);
        }
    }
}
