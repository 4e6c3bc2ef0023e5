package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MDLM objective trains: against the floor of a model that learns only how common each token is. On a period-7
 * pattern every one of the 7 tokens is equally common, so that floor is about ln 7 nats (the 1/t weight makes the
 * negative ELBO an average of per-token cross-entropies); a model that reads its neighbors predicts each masked token
 * except where almost everything is masked, and its negative ELBO must fall far below the floor.
 */
class MaskedDiffusionLearnsTest {
    private static final long MASK_ID = 3;
    private static final double FREQUENCY_FLOOR = Math.log(7);
    private static final int RANDOM_TOKENS = 40;
    /** The best a causal model can do on {@link #repeatedHalves} (see the test that uses it). */
    private static final double CAUSAL_BOUND = 0.75 * Math.log(RANDOM_TOKENS);
    /** The best a causal model can do on {@link #repeatedHalves} (see the test that uses it). */
    record Setup(String data) {
    }

    /** Every row the same period-7 sequence: each position's token is fixed, so position alone predicts it. */
    static BatchSource fixedSequence(int batch, int seq) {
        return TrainerTest.batches(batch, seq, index -> {
            long[] ids = new long[batch * seq];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 10 + (i % seq) % 7;
            }
            return ids;
        });
    }

    /**
     * Rows of random tokens from 40 whose second half repeats the first: a token in the first half is predictable only
     * from the token half a row to its right. (Repeating at a fixed offset rather than in adjacent pairs keeps the task
     * free of absolute position, which a rotary model without a causal mask does not see.)
     */
    static BatchSource repeatedHalves(int batch, int seq, long seed) {
        return TrainerTest.batches(batch, seq, index -> {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 1_000_003 + index);
            long[] ids = new long[batch * seq];
            for (int row = 0; row < batch; row++) {
                for (int i = 0; i < seq / 2; i++) {
                    ids[row * seq + i] = 10 + random.nextInt(RANDOM_TOKENS);
                    ids[row * seq + i + seq / 2] = ids[row * seq + i];
                }
            }
            return ids;
        });
    }

    private static ObjectNode fixtureConfig(String name) throws java.io.IOException {
        return (ObjectNode) new ObjectMapper().readTree(Fixtures.model(name).resolve("config.json").toFile());
    }

    /** Trains {@code config} (a config.json) under the MDLM objective and returns the last validation loss. */
    private static double trainedNelbo(ObjectNode config, BatchSource train, BatchSource validation, long steps, Path dir) {
        TrainingConfig training = new TrainingConfig(steps, 1, 3e-3, 10, 0.1, 1.0, AdamW.Config.defaults(), steps, 0, 3);
        try (NDManager nd = NDManager.newBaseManager();
             TransformerModel model = Models.initialize(config, 5, DType.F32, nd)) {
            RunInputs inputs = new RunInputs(config.get("model_type").asText(), WeightFingerprint.of(model),
                    java.util.Map.of(), training.seed());
            RunFolder run = RunFolder.open(dir, Trainer.key(training, new Setup("toy"), inputs),
                    Provenance.of(inputs, java.util.Map.of()));
            Trainer.History h = new Trainer(model, new MaskedDiffusionObjective(MASK_ID, training.seed()), train,
                    validation, training, run, new TrainingListener() { }).run();
            return h.evaluations().getLast().loss();
        }
    }

    /**
     * Llama is causal, so this is not how MDLM is meant to be run, but it isolates the objective: masked tokens are
     * predictable from the tokens to their left, and the loss must use them. (Measured: 0.30 after 150 steps, from 1.87.)
     */
    @Test
    void objectiveTeachesAModelToReadContext(@TempDir Path dir) throws Exception {
        ObjectNode llama = fixtureConfig("llama-tiny");
        double nelbo = trainedNelbo(llama, TrainerTest.pattern(16, 32, 1), TrainerTest.pattern(16, 32, 99), 150, dir);
        assertTrue(nelbo < 0.5 * FREQUENCY_FLOOR, "negative ELBO " + nelbo + " against a frequency-only floor of "
                + FREQUENCY_FLOOR);
    }

    /**
     * Llama blocks without the causal mask (LLaDA's backbone) read context on both sides. On repeated halves the best a
     * causal model can do is ln 40 on the first half and ln 40 * t on the second (a token's copy is masked with
     * probability t), 0.75 ln 40 = 2.77 over t uniform; a bidirectional one reaches ln 40 * t on both, 0.5 ln 40 = 1.84.
     */
    @Test
    void bidirectionalLlamaReadsTheRightContext(@TempDir Path dir) throws Exception {
        ObjectNode bidirectional = fixtureConfig("llama-tiny").put("is_causal", false);
        double nelbo = trainedNelbo(bidirectional, repeatedHalves(16, 32, 1), repeatedHalves(16, 32, 99), 1000, dir);
        // Measured: 2.14 after 1,000 steps (the causal llama-tiny, trained alike, 3.29).
        assertTrue(nelbo < CAUSAL_BOUND, "negative ELBO " + nelbo + " against the causal bound " + CAUSAL_BOUND);
    }

    /** BERT's training path learns what its position embeddings carry (measured: 0.001 after 200 steps on bert-tiny). */
    @Test
    void bertLearnsTokensThatPositionsDetermine(@TempDir Path dir) throws Exception {
        ObjectNode bert = fixtureConfig("bert-tiny");
        double nelbo = trainedNelbo(bert, fixedSequence(16, 32), fixedSequence(16, 32), 200, dir);
        assertTrue(nelbo < 0.05 * FREQUENCY_FLOOR, "negative ELBO " + nelbo);
    }
}
