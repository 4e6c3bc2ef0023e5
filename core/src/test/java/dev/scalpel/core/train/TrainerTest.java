package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer, schedule and clipping follow their definitions; training learns and resumes exactly. */
class TrainerTest {

    /** Sequences of a repeating pattern: learnable, so the loss must fall. */
    static BatchSource pattern(int batch, int seq, long seed) {
        return batches(batch, seq, index -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003 + index);
            long[] ids = new long[batch * seq];
            for (int b = 0; b < batch; b++) {
                int offset = r.nextInt(7);
                for (int s = 0; s < seq; s++) {
                    ids[b * seq + s] = 10 + (offset + s) % 7;
                }
            }
            return ids;
        });
    }

    /** A batch source of {@code batch} rows of {@code seq} tokens whose batch i is {@code ids.apply(i)}. */
    static BatchSource batches(int batch, int seq, java.util.function.LongFunction<long[]> ids) {
        return new BatchSource() {
            @Override
            public long[] batch(long index) {
                return ids.apply(index);
            }

            @Override
            public int batchSize() {
                return batch;
            }

            @Override
            public int sequenceLength() {
                return seq;
            }
        };
    }

    /** The test's data pattern and model in the key: what LabBuilder's setup record is for the lab. */
    record Setup(String data, int batch, int sequence) {
    }

    /** The run folder of a test run on the pattern data: keyed by the configuration and the fresh model's weights. */
    static RunFolder run(Path dir, TransformerModel model, TrainingConfig config) {
        RunInputs inputs = new RunInputs("llama-tiny", WeightFingerprint.of(model), java.util.Map.of(), config.seed());
        return RunFolder.open(dir, Trainer.key(config, new Setup("pattern", 4, 16), inputs),
                Provenance.of(inputs, java.util.Map.of()));
    }

    static TrainingConfig config(long steps, long checkpointEveryTokens) {
        return new TrainingConfig(steps, 2, 3e-3, 2, 0.1, 1.0, AdamW.Config.defaults(), 4, checkpointEveryTokens, 5);
    }

    static TransformerModel freshModel(NDManager m) throws IOException {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Fixtures.model("llama-tiny").resolve("config.json").toFile());
        return Models.initialize(c, 11, DType.F32, m);
    }

    @Test
    void adamwStepMatchesItsClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters p = new Parameters(m.newSubManager());
            p.put("w", m.create(new float[] {1f, -2f, 0.5f, 3f}, new ai.djl.ndarray.types.Shape(2, 2)), DType.F32);
            p.put("b", m.create(new float[] {0.25f, -0.75f}), DType.F32);
            p.requireGradients(true);
            float[] gw = {0.1f, -0.3f, 2f, 0f};
            float[] gb = {-1f, 0.5f};
            setGradients(m, p, gw, gb, "w", "b");
            AdamW.Config c = new AdamW.Config(0.9, 0.99, 1e-8, 0.1);
            try (AdamW adam = new AdamW(p, c)) {
                double lr = 0.01;
                adam.step(lr);
                // First step: m_hat = g, v_hat = g^2, so the update is lr * g / (|g| + eps); decay for matrices only.
                float[] w = p.get("w").toFloatArray();
                float[] w0 = {1f, -2f, 0.5f, 3f};
                for (int i = 0; i < 4; i++) {
                    double expected = w0[i] * (1 - lr * 0.1) - lr * gw[i] / (Math.abs(gw[i]) + 1e-8);
                    assertEquals(expected, w[i], 1e-6, "w[" + i + "]");
                }
                float[] b = p.get("b").toFloatArray();
                float[] b0 = {0.25f, -0.75f};
                for (int i = 0; i < 2; i++) {
                    assertEquals(b0[i] - lr * gb[i] / (Math.abs(gb[i]) + 1e-8), b[i], 1e-6, "no decay for vectors");
                }
                assertEquals(1, adam.steps());
            }
        }
    }

    /** Makes the gradients of two parameters equal the given values: d/dp sum(p * g) = g. */
    private static void setGradients(NDManager m, Parameters p, float[] g1, float[] g2, String n1, String n2) {
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray a = p.get(n1).mul(m.create(g1, p.get(n1).getShape())).sum();
            NDArray b = p.get(n2).mul(m.create(g2, p.get(n2).getShape())).sum();
            gc.backward(a.add(b));
        }
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosine() {
        Schedule s = new Schedule(1e-3, 10, 110, 0.1);
        assertEquals(1e-4, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(9), 1e-12);
        assertEquals(1e-3, s.at(10), 1e-12);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), s.at(60), 1e-12);
        assertEquals(1e-4, s.at(110), 1e-12);
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters p = new Parameters(m.newSubManager());
            p.put("a", m.zeros(new ai.djl.ndarray.types.Shape(2)), DType.F32);
            p.put("b", m.zeros(new ai.djl.ndarray.types.Shape(1)), DType.F32);
            p.requireGradients(true);
            setGradients(m, p, new float[] {3f, 0f}, new float[] {4f}, "a", "b");
            assertEquals(5.0, GradientClipping.clip(p, 1.0), 1e-6);
            assertEquals(0.6, p.get("a").getGradient().getFloat(0), 1e-5);
            assertEquals(0.8, p.get("b").getGradient().getFloat(0), 1e-5);
            GradientClipping.zero(p);
            assertEquals(0f, p.get("b").getGradient().getFloat(0));
        }
    }

    @Test
    void trainingLowersTheLossAndWritesALadderOfCheckpoints(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = freshModel(m)) {
            BatchSource data = pattern(4, 16, 1);
            long tokensPerStep = 4 * 16 * 2;
            Trainer.History h = new Trainer(model, Objective.nextToken(), data, pattern(4, 16, 2), config(12, 4 * tokensPerStep),
                    run(dir, model, config(12, 4 * tokensPerStep)), TrainingListener.NONE).run();
            double first = h.steps().get(0).loss();
            double last = h.steps().get(11).loss();
            assertTrue(first > 5.5, "starts near log(512): " + first);
            assertTrue(last < first - 1.0, "the loss falls: " + first + " -> " + last);
            assertEquals(3, h.evaluations().size());
            try (var files = Files.list(dir.resolve("checkpoints"))) {
                assertEquals(3, files.count(), "checkpoints at 4, 8 and 12 steps");
            }
            try (TransformerModel saved = Models.load(dir.resolve("checkpoints").resolve(String.format("tokens-%012d", 12 * tokensPerStep)), m)) {
                for (String n : model.parameters().names()) {
                    assertTrue(saved.parameters().get(n).contentEquals(model.parameters().get(n)), n);
                }
            }
        }
    }

    @Test
    void interruptedRunResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        long tokensPerStep = 4 * 16 * 2;
        NDArray reference;
        try (NDManager m = NDManager.newBaseManager()) {
            try (TransformerModel model = freshModel(m)) {
                new Trainer(model, Objective.nextToken(), pattern(4, 16, 1), null, config(6, tokensPerStep),
                        run(dir.resolve("a"), model, config(6, tokensPerStep)), TrainingListener.NONE).run();
                reference = model.parameters().get("model.layers.1.mlp.down_proj.weight").duplicate();
                reference.attach(m);
            }
            TrainingListener killer = new TrainingListener() {
                @Override
                public void onStep(long step, long total, double loss, double lr, double norm, double tps) {
                    if (step == 3) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            try (TransformerModel model = freshModel(m)) {
                assertThrows(IllegalStateException.class, () -> new Trainer(model, Objective.nextToken(), pattern(4, 16, 1),
                        null, config(6, tokensPerStep), run(dir.resolve("b"), model, config(6, tokensPerStep)), killer).run());
            }
            try (TransformerModel model = freshModel(m)) {
                Trainer.History h = new Trainer(model, Objective.nextToken(), pattern(4, 16, 1), null, config(6, tokensPerStep),
                        run(dir.resolve("b"), model, config(6, tokensPerStep)), TrainingListener.NONE).run();
                assertEquals(6, h.steps().size(), "the history spans the interruption");
                NDArray resumed = model.parameters().get("model.layers.1.mlp.down_proj.weight");
                // libtorch (MKL picks kernels by memory alignment) does not promise bit-identical reruns in one process,
                // and three AdamW steps carry last-bit noise to about 1e-5; a resume that lost the optimizer's moments,
                // the schedule's step or the data position moves weights by about the learning rate (3e-3).
                float diff = resumed.sub(reference).abs().max().getFloat();
                assertTrue(diff <= 3e-4, "resumed weights match the uninterrupted run's, max diff " + diff);
            }
        }
    }

    /**
     * A checkpoint is taken up only by the run that made it: the same folder with another learning rate is refused,
     * naming the field, before a step is taken.
     */
    @Test
    void aRunWithAnotherConfigurationIsRefused(@TempDir Path dir) throws IOException {
        long tokensPerStep = 4 * 16 * 2;
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = freshModel(m)) {
            TrainingConfig config = config(2, tokensPerStep);
            new Trainer(model, Objective.nextToken(), pattern(4, 16, 1), null, config, run(dir, model, config),
                    TrainingListener.NONE).run();
        }
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = freshModel(m)) {
            TrainingConfig other = config(2, tokensPerStep);
            TrainingConfig faster = new TrainingConfig(other.steps(), other.accumulation(), other.peakLearningRate() * 2,
                    other.warmupSteps(), other.minLearningRateRatio(), other.clipNorm(), other.adam(), other.evalEvery(),
                    other.checkpointEveryTokens(), other.seed());
            ScalpelException e = assertThrows(ScalpelException.class, () -> run(dir, model, faster));
            assertTrue(e.getMessage().contains("configuration.training.peakLearningRate"), e.getMessage());
        }
    }
}
