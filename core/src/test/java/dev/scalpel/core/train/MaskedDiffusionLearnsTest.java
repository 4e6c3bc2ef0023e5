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

    /** BERT's training path learns what its position embeddings carry (measured: 0.001 after 200 steps on bert-tiny). */
    @Test
    void bertLearnsTokensThatPositionsDetermine(@TempDir Path dir) throws Exception {
        ObjectNode bert = fixtureConfig("bert-tiny");
        double nelbo = trainedNelbo(bert, fixedSequence(16, 32), fixedSequence(16, 32), 200, dir);
        assertTrue(nelbo < 0.05 * FREQUENCY_FLOOR, "negative ELBO " + nelbo);
    }
}
