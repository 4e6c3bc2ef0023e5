package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.Scalars;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step whose loss comes out non-finite is recomputed once from the untouched state before it. */
class NonFiniteStepTest {
    private static final String WEIGHT = "model.layers.1.mlp.down_proj.weight";

    /** The next-token objective, poisoned with NaN on the first {@code times} computations of one micro-batch. */
    static Objective poisoned(long microBatch, int times) {
        int[] left = {times};
        Objective plain = Objective.nextToken();
        return (model, ids, step, manager) -> {
            NDArray loss = plain.loss(model, ids, step, manager);
            if (step == microBatch && left[0]-- > 0) {
                return Scalars.mul(loss, Float.NaN);
            }
            return loss;
        };
    }

    @Test
    void aTransientNaNIsRecomputedAndTheRunEndsAsAnUndisturbedOne(@TempDir Path dir) throws IOException {
        long tokensPerStep = 4 * 16 * 2;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] reference;
            try (TransformerModel model = TrainerTest.freshModel(m)) {
                new Trainer(model, Objective.nextToken(), TrainerTest.pattern(4, 16, 1), null,
                        TrainerTest.config(5, tokensPerStep), TrainerTest.run(dir.resolve("a"), model, TrainerTest.config(5, tokensPerStep)),
                        TrainingListener.NONE).run();
                reference = model.parameters().get(WEIGHT).toFloatArray();
            }
            List<String> retries = new ArrayList<>();
            try (TransformerModel model = TrainerTest.freshModel(m)) {
                TrainingListener log = new TrainingListener() {
                    @Override
                    public void onNonFiniteStep(long step, double loss, double gradNorm, boolean recovered) {
                        retries.add(step + " " + loss + " " + recovered);
                    }
                };
                // Micro-batch 5 is the second half of step 2 (two micro-batches a step).
                Trainer.History h = new Trainer(model, poisoned(5, 1), TrainerTest.pattern(4, 16, 1), null,
                        TrainerTest.config(5, tokensPerStep),
                        TrainerTest.run(dir.resolve("b"), model, TrainerTest.config(5, tokensPerStep)), log).run();
                assertEquals(List.of("2 NaN true"), retries);
                assertTrue(h.steps().stream().allMatch(s -> Double.isFinite(s.loss())));
                float[] weights = model.parameters().get(WEIGHT).toFloatArray();
                // The recomputed step is the same computation on the same state, so the run is the same run.
                float worst = 0;
                for (int i = 0; i < weights.length; i++) {
                    worst = Math.max(worst, Math.abs(weights[i] - reference[i]));
                }
                assertEquals(0f, worst, "the recovered run ends with the undisturbed run's weights");
            }
        }
    }

    @Test
    void aPersistentNaNStopsTheRunWithoutApplyingTheStep(@TempDir Path dir) throws IOException {
        long tokensPerStep = 4 * 16 * 2;
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TrainerTest.freshModel(m)) {
            List<Boolean> recovered = new ArrayList<>();
            TrainingListener log = new TrainingListener() {
                @Override
                public void onNonFiniteStep(long step, double loss, double gradNorm, boolean ok) {
                    recovered.add(ok);
                }
            };
            ScalpelException e = assertThrows(ScalpelException.class, () -> new Trainer(model, poisoned(2, 2),
                    TrainerTest.pattern(4, 16, 1), null, TrainerTest.config(4, tokensPerStep),
                    TrainerTest.run(dir, model, TrainerTest.config(4, tokensPerStep)), log).run());
            assertTrue(e.getMessage().contains("diverged at step 1") && e.getMessage().contains("twice"), e.getMessage());
            assertEquals(List.of(false), recovered);
            float[] w = model.parameters().get(WEIGHT).toFloatArray();
            for (float v : w) {
                assertTrue(Float.isFinite(v), "no NaN reached the weights");
            }
        }
    }
}
