package dev.scalpel.bench;

import java.util.Map;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.BatchSource;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.Trainer;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code ./scalpel bench --soak N [--soak-steps S]}: N tiny trainings in one JVM, each from a fresh model, with a
 * garbage collection forced between every forward and backward pass (the window in which the intermittent NaN struck:
 * memory the backward pass still read was freed there). Counts the runs that met a non-finite loss or gradient, even
 * once (a step recomputed by the trainer counts), and the runs whose final weights are not finite. Goal: 0.
 */
final class SoakBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The soak's outcome, written into the benchmark JSON. */
    record Result(int runs, int stepsPerRun, int runsWithNonFiniteSteps, int nonFiniteSteps, int runsDiverged,
                  int runsWithNonFiniteWeights, double seconds) {
    }

    static Result run(int runs, int steps) throws IOException {
        long t0 = System.nanoTime();
        int runsWithNonFinite = 0;
        int nonFiniteSteps = 0;
        int diverged = 0;
        int badWeights = 0;
        Path root = Files.createTempDirectory("scalpel-soak");
        try {
            for (int r = 0; r < runs; r++) {
                int[] events = {0};
                TrainingListener count = new TrainingListener() {
                    @Override
                    public void onNonFiniteStep(long step, double loss, double gradNorm, boolean recovered) {
                        events[0]++;
                    }
                };
                try (NDManager m = NDManager.newBaseManager();
                     TransformerModel model = Models.initialize(tinyLlama(), r + 1, DType.F32, m)) {
                    TrainingConfig config = new TrainingConfig(steps, 2, 3e-3, 2, 0.1, 1.0, AdamW.Config.defaults(), 0,
                            0, r);
                    try {
                        RunInputs inputs = new RunInputs("soak", WeightFingerprint.of(model), Map.of(), r);
                        RunFolder run = RunFolder.open(root.resolve("run-" + r), Trainer.key(config, "soak", inputs),
                                Provenance.of(inputs, Map.of()));
                        new Trainer(model, collectingBetweenForwardAndBackward(), tokens(r), null, config, run, count).run();
                    } catch (ScalpelException e) {
                        diverged++;
                    }
                    boolean finite = model.parameters().asMap().values().stream()
                            .allMatch(p -> Float.isFinite(p.abs().max().getFloat()));
                    badWeights += finite ? 0 : 1;
                }
                nonFiniteSteps += events[0];
                runsWithNonFinite += events[0] > 0 ? 1 : 0;
                deleteTree(root.resolve("run-" + r));
                if ((r + 1) % 10 == 0 || r + 1 == runs) {
                    System.out.printf("soak: %d/%d runs, %d with a non-finite step%n", r + 1, runs, runsWithNonFinite);
                }
            }
        } finally {
            deleteTree(root);
        }
        return new Result(runs, steps, runsWithNonFinite, nonFiniteSteps, diverged, badWeights,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Next-token loss, with a full collection after the forward pass and before the trainer's backward pass. */
    private static Objective collectingBetweenForwardAndBackward() {
        Objective plain = Objective.nextToken();
        return (model, ids, step, manager) -> {
            NDArray loss = plain.loss(model, ids, step, manager);
            System.gc();
            return loss;
        };
    }

    private static BatchSource tokens(long seed) {
        return new BatchSource() {
            @Override
            public long[] batch(long index) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003 + index);
                long[] ids = new long[4 * 32];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 3 + (i % 32 == 0 ? random.nextInt(500) : (ids[i - 1] * 7 + random.nextInt(3)) % 500);
                }
                return ids;
            }

            @Override
            public int batchSize() {
                return 4;
            }

            @Override
            public int sequenceLength() {
                return 32;
            }
        };
    }

    private static ObjectNode tinyLlama() {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM");
        c.put("vocab_size", 512).put("hidden_size", 64).put("num_hidden_layers", 2).put("num_attention_heads", 4)
                .put("num_key_value_heads", 2).put("intermediate_size", 128).put("max_position_embeddings", 64)
                .put("rms_norm_eps", 1e-5).put("hidden_act", "silu").put("rope_theta", 10000.0)
                .put("bos_token_id", 1).put("eos_token_id", 2).put("tie_word_embeddings", false)
                .put("initializer_range", 0.02);
        return c;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
