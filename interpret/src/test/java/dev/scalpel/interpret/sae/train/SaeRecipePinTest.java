package dev.scalpel.interpret.sae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pins the published SAE recipes as they were when they were code: every value a training run reads. */
class SaeRecipePinTest {

    @Test
    void theRecipesKeepTheirValues() {
        assertEquals("SaeTrainingConfig[architecture=TOPK, dSae=64, k=8, auxK=256, auxKCoefficient=0.03125,"
                + " deadTokenWindow=10000000, learningRate=1.0E-4, l1Coefficient=0.0, l1WarmupSteps=0, clipNorm=0.0,"
                + " scaleActivations=false, batchSize=4096, steps=10000, seed=0, logEvery=100]\n"
                + "SaeTrainingConfig[architecture=STANDARD, dSae=96, k=0, auxK=0, auxKCoefficient=0.0,"
                + " deadTokenWindow=10000000, learningRate=3.0E-4, l1Coefficient=5.0, l1WarmupSteps=500, clipNorm=1.0,"
                + " scaleActivations=true, batchSize=4096, steps=10000, seed=0, logEvery=100]",
                SaeTrainingConfig.topK(64, 8).toString() + "\n" + SaeTrainingConfig.standard(96, 5).toString());
    }
}
