package dev.scalpel.interpret.sae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import org.junit.jupiter.api.Test;

/** ReLU + L1 training: the decoder-norm-weighted penalty, warmed up, buys sparsity. */
class SaeTrainerStandardTest {

    private static SaeTrainingConfig config(double lambda) {
        return SaeTrainingConfig.standard(128, lambda).withL1(lambda, 100).withBatchSize(256).withSteps(300)
                .withLearningRate(3e-3).withLogEvery(50).withDeadTokenWindow(256 * 20);
    }

    @Test
    void theL1PenaltyLowersL0AgainstNoPenalty() {
        SaeTrainingResult dense = new SaeTrainer(config(0), SaeTrainingListener.NONE)
                .train(SaeTrainerTopKTest.DATA.asRows(), SaeMetadata.unknown());
        SaeTrainingResult sparse = new SaeTrainer(config(1), SaeTrainingListener.NONE)
                .train(SaeTrainerTopKTest.DATA.asRows(), SaeMetadata.unknown());
        try (SparseAutoencoder a = dense.sae(); SparseAutoencoder b = sparse.sae()) {
            System.out.printf("standard: lambda 0 %s; lambda 1 %s; %.1f steps/s%n", dense.evaluation(),
                    sparse.evaluation(), sparse.stepsPerSecond());
            assertEquals(SaeArchitecture.STANDARD, b.architecture());
            assertTrue(sparse.evaluation().l0() < dense.evaluation().l0() / 2,
                    "L1 lowers L0: " + sparse.evaluation().l0() + " vs " + dense.evaluation().l0());
            assertTrue(sparse.evaluation().fvu() < 0.3, "and still reconstructs: " + sparse.evaluation());
            assertTrue(dense.evaluation().fvu() < 0.1, "without the penalty it reconstructs closely: " + dense.evaluation());
            assertEquals(0.5, sparse.history().getFirst().l1Coefficient(), 1e-9, "step 50 of a 100-step warm-up: lambda/2");
            assertEquals(1, sparse.history().getLast().l1Coefficient(), 1e-9);
            assertTrue(sparse.activationScale() > 0 && sparse.activationScale() != 1, "activations were scaled");
            assertEquals(4, ((BaseNDManager) b.manager()).getManagedArrays().size(),
                    "the per-step decoder norms are released with the step");
        }
    }
}
