package dev.scalpel.edit.pretraining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.model.WeightUpdate;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.run.DownstreamProbe;
import dev.scalpel.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continued pre-training measures every checkpoint against the starting weights, and resumes by its key. */
class ContinuedPretrainingTest {
    private static final ContinuedPretrainingConfig CONFIG =
            new ContinuedPretrainingConfig(6, 2, 16, 1e-2, 1, 0.1, 3, 0);

    private static Path llamaTiny() {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve("llama-tiny");
    }

    private static List<String> documents() {
        String[] words = "the a dog cat bird poodle wolf is kind of type animal small large runs sleeps barks".split(" ");
        Random r = new Random(3);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 24; w++) {
                s.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            docs.add(s.toString());
        }
        return docs;
    }

    private record Run(ContinuedPretraining.Results results, Map<String, Matrix> start, Map<String, Matrix> end) {
    }

    private static Run run(ContinuedPretrainingConfig config, Path folder) {
        try (LoadedModel m = LoadedModel.open(llamaTiny())) {
            var tokenizer = m.requireTokenizer();
            TrainingText train = TrainingText.of("words", documents(), tokenizer, 1, config.tokens() + 1, config.seed());
            TrainingText held = TrainingText.of("held-out words", documents().reversed(), tokenizer, 1,
                    8L * config.tokensPerStep() + 1, null);
            Map<String, Matrix> start = weights(m);
            long[][] probe = new long[4][];
            for (int i = 0; i < probe.length; i++) {
                probe[i] = java.util.Arrays.copyOf(tokenizer.encode(documents().get(i)), 12);
            }
            ActivationProbe activations = new ActivationProbe(m.model(), probe, 2);
            RunInputs inputs = new RunInputs("llama-tiny", WeightFingerprint.of(m.model()),
                    Map.of("train_text", train.hash()), config.seed());
            var results = new ContinuedPretraining(m.model(), config, DownstreamProbe.NONE, activations, s -> { },
                    TrainingListener.NONE).run(train.tokens(), held.tokens(), train.name(), folder, inputs);
            return new Run(results, start, weights(m));
        }
    }

    private static Map<String, Matrix> weights(LoadedModel m) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (LinearModule module : m.model().linearModules()) {
            out.put(module.name(), WeightUpdate.read(m.model(), module));
        }
        return out;
    }

    @Test
    void everyCheckpointIsMeasuredAgainstTheStartingWeights(@TempDir Path folder) {
        Run run = run(CONFIG, folder);
        var results = run.results();
        assertEquals(4, results.measurements().size(), "the starting model and three checkpoints");
        assertEquals(List.of(0L, 64L, 128L, 192L), results.measurements().stream()
                .map(ContinuedPretraining.Measurement::tokens).toList());
        assertEquals(List.of(0L, 2L, 4L, 6L), results.measurements().stream()
                .map(ContinuedPretraining.Measurement::step).toList());
        assertEquals(run.start().keySet(), results.start().matrices().keySet(), "every linear module is measured");
        for (var e : results.start().matrices().entrySet()) {
            assertEquals(0, e.getValue().deltaNorm(), 0, e.getKey());
            assertEquals(run.start().get(e.getKey()).norm(), e.getValue().norm(), 1e-9, e.getKey());
        }
        // The last checkpoint holds the trained weights (float32 saved and read back exactly); its diagnostics are
        // those of the trained model against a brute-force Frobenius norm of the change.
        for (var e : results.end().matrices().entrySet()) {
            Matrix trained = run.end().get(e.getKey());
            MatrixDiagnostics d = e.getValue();
            assertEquals(trained.norm(), d.norm(), 1e-9 * trained.norm(), e.getKey());
            double change = 0;
            Matrix start = run.start().get(e.getKey());
            for (int i = 0; i < trained.rows(); i++) {
                for (int j = 0; j < trained.cols(); j++) {
                    double x = trained.get(i, j) - start.get(i, j);
                    change += x * x;
                }
            }
            assertEquals(Math.sqrt(change), d.deltaNorm(), 1e-9 + 1e-9 * d.deltaNorm(), e.getKey());
            assertTrue(d.deltaNorm() > 0, e.getKey() + " was trained");
        }
        assertTrue(results.end().validationLoss() < results.start().validationLoss(),
                "training lowers the loss on held-out text of the same kind: " + results.start().validationLoss()
                        + " -> " + results.end().validationLoss());
        assertEquals(2, results.end().activity().size(), "one entry per layer");
    }

    @Test
    void aFinishedRunIsReusedAndAnotherSeedStartsAfresh(@TempDir Path folder) {
        var first = run(CONFIG, folder).results();
        var again = run(CONFIG, folder).results();
        // The same checkpoint files: their norms (summed in Java) agree exactly; the spectra come from LAPACK, whose
        // threaded kernels need not repeat the last bit, so they agree within a tolerance.
        for (var e : first.end().matrices().entrySet()) {
            MatrixDiagnostics a = e.getValue();
            MatrixDiagnostics b = again.end().matrices().get(e.getKey());
            assertEquals(a.norm(), b.norm(), 0, e.getKey());
            assertEquals(a.deltaNorm(), b.deltaNorm(), 0, e.getKey());
            assertEquals(a.topSingularShare(), b.topSingularShare(), 1e-12, e.getKey());
            assertEquals(a.spectralEntropy(), b.spectralEntropy(), 1e-12, e.getKey());
        }
        assertEquals(first.end().validationLoss(), again.end().validationLoss(), 0);
        ContinuedPretrainingConfig other = new ContinuedPretrainingConfig(6, 2, 16, 1e-2, 1, 0.1, 3, 1);
        var reseeded = run(other, folder).results();
        assertNotEquals(first.end().matrices(), reseeded.end().matrices(), "another order of the text, another run");
    }

    @Test
    void tooLittleTextIsRefusedWithTheNumbers(@TempDir Path folder) {
        try (LoadedModel m = LoadedModel.open(llamaTiny())) {
            ActivationProbe activations = new ActivationProbe(m.model(), new long[][] {{1, 2, 3, 4}}, 1);
            var run = new ContinuedPretraining(m.model(), CONFIG, DownstreamProbe.NONE, activations, s -> { },
                    TrainingListener.NONE);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> run.run(new int[100], new int[100], "a short text", folder, new RunInputs("m", "w", Map.of(), 0)));
            assertTrue(e.getMessage().contains("a short text: 100 training tokens, fewer than the 192"), e.getMessage());
        }
    }

    @Test
    void aConfigurationWhoseMeasurementsDoNotDivideTheStepsIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ContinuedPretrainingConfig(10, 2, 16, 1e-3, 1,
                0.1, 3, 0));
        assertTrue(e.getMessage().contains("steps 10") && e.getMessage().contains("measurements 3"), e.getMessage());
    }
}
