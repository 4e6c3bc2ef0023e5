package dev.scalpel.interpret.sae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TopK training on rows built from 64 sparse directions. */
class SaeTrainerTopKTest {
    static final SyntheticActivations DATA = new SyntheticActivations(32, 64, 3, 20_000, 0.01, 7);

    private static SaeTrainingConfig config() {
        return SaeTrainingConfig.topK(128, 4).withBatchSize(256).withSteps(300).withLearningRate(3e-3)
                .withDeadTokenWindow(256 * 20).withLogEvery(50);
    }

    @Test
    void explainsSparseDataWithExactlyKLatentsAndUnitDecoderRows() {
        List<SaeMetrics> seen = new ArrayList<>();
        SaeTrainingResult r = new SaeTrainer(config(), seen::add).train(DATA.asRows(), SaeMetadata.unknown());
        try (SparseAutoencoder sae = r.sae()) {
            System.out.printf("TopK: %s, %.1f steps/s%n", r.evaluation(), r.stepsPerSecond());
            assertEquals(6, seen.size());
            assertEquals(r.history(), seen);
            assertTrue(seen.getFirst().fvu() > r.evaluation().fvu(), "training lowers FVU");
            assertTrue(r.evaluation().fvu() < 0.2, "FVU well below the mean's 1: " + r.evaluation());
            assertEquals(4.0, r.evaluation().l0(), 0.0, "TopK keeps exactly k latents per row");
            assertEquals(SaeArchitecture.TOPK, sae.architecture());
            assertEquals(4, sae.k());
            try (NDArray norms = sae.wDec().norm(new int[] {1})) {
                for (float norm : norms.toFloatArray()) {
                    assertEquals(1f, norm, 1e-5f, "decoder rows are renormalized after every step");
                }
            }
            assertEquals(4, ((BaseNDManager) sae.manager()).getManagedArrays().size(),
                    "300 steps leave nothing behind in the SAE's manager but its four arrays");
            assertTrue(!sae.wEnc().hasGradient(), "the returned SAE no longer tracks gradients");
        }
    }

    @Test
    void sameSeedSameSae() {
        SaeTrainingConfig c = config().withSteps(20);
        SaeTrainingResult a = new SaeTrainer(c, SaeTrainingListener.NONE).train(DATA.asRows(), SaeMetadata.unknown());
        SaeTrainingResult b = new SaeTrainer(c, SaeTrainingListener.NONE).train(DATA.asRows(), SaeMetadata.unknown());
        try (SparseAutoencoder x = a.sae(); SparseAutoencoder y = b.sae()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(x.wDec().toFloatArray(), y.wDec().toFloatArray());
            org.junit.jupiter.api.Assertions.assertArrayEquals(x.bDec().toFloatArray(), y.bDec().toFloatArray());
        }
    }

    /**
     * Three quarters of the latents start with encoder columns shrunk 100-fold: they never reach the top k, so they are
     * dead, and the reconstruction loss gives them no gradient. The 16 live latents cannot cover 64 features, so the
     * dead ones are needed. AuxK must bring them back; without it they stay dead.
     */
    @Test
    void auxKRevivesDeadLatents() {
        SaeTrainingConfig c = SaeTrainingConfig.topK(64, 4).withBatchSize(256).withSteps(300).withLearningRate(3e-3)
                .withDeadTokenWindow(256 * 5).withLogEvery(50);
        try (SparseAutoencoder start = crippledStart(c)) {
            SaeTrainingResult on = new SaeTrainer(c, SaeTrainingListener.NONE).train(DATA.asRows(), start);
            SaeTrainingResult off = new SaeTrainer(c.withAuxK(0, 0), SaeTrainingListener.NONE).train(DATA.asRows(),
                    start);
            try (SparseAutoencoder a = on.sae(); SparseAutoencoder b = off.sae()) {
                SaeEvaluation with = on.evaluation();
                SaeEvaluation without = off.evaluation();
                System.out.printf("AuxK on: %s%nAuxK off: %s%n", with, without);
                assertTrue(on.history().stream().anyMatch(m -> m.sparsity() > 0), "the AuxK loss is nonzero while latents are dead");
                assertTrue(off.history().stream().allMatch(m -> m.sparsity() == 0));
                assertTrue(without.deadFraction() >= 0.5, "without AuxK the shrunk latents stay dead: " + without);
                assertTrue(with.deadFraction() < without.deadFraction() / 2, "AuxK revives dead latents");
                assertTrue(with.fvu() < without.fvu(), "and the revived latents reconstruct what the others could not");
            }
        }
    }

    private static SparseAutoencoder crippledStart(SaeTrainingConfig c) {
        SplittableRandom r = new SplittableRandom(1);
        SparseAutoencoder sae = SaeInitialization.fresh(c, DATA.dIn, DATA.offset.clone(), SaeMetadata.unknown(), r);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] shrink = new float[c.dSae()];
            for (int j = 0; j < shrink.length; j++) {
                shrink[j] = j < c.dSae() / 4 ? 1f : 0.01f;
            }
            sae.wEnc().muli(m.create(shrink));
        }
        return sae;
    }
}
