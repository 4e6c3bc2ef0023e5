package dev.scalpel.edit.pretraining;

import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightUpdate;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.PackedBatches;
import dev.scalpel.core.train.Trainer;
import dev.scalpel.core.train.TrainingListener;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.run.DownstreamProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Continued pre-training with the norm-growth diagnostics, in the paper's order:
 * <ol>
 *   <li>measure the trained model: every linear module's weight, the activations on a fixed probe set, the downstream
 *       probes and the validation loss;</li>
 *   <li>train every weight on the new text (resumable: the run folder is keyed by the configuration, the data, the
 *       starting weights and the seed);</li>
 *   <li>measure each checkpoint the same way, every matrix against its starting value.</li>
 * </ol>
 */
public final class ContinuedPretraining {
    private final TransformerModel model;
    private final ContinuedPretrainingConfig config;
    private final DownstreamProbe downstream;
    private final ActivationProbe activations;
    private final Consumer<String> progress;
    private final TrainingListener listener;

    /**
     * @param model the trained model; it is trained in place
     * @param activations a probe built on {@code model} before any training (its subspaces are the reference)
     * @param listener shows the training's progress
     */
    public ContinuedPretraining(TransformerModel model, ContinuedPretrainingConfig config, DownstreamProbe downstream,
                                ActivationProbe activations, Consumer<String> progress, TrainingListener listener) {
        this.model = model;
        this.config = config;
        this.downstream = downstream;
        this.activations = activations;
        this.progress = progress;
        this.listener = listener;
    }

    private Path finalCheckpoint;

    /** The last checkpoint of the finished run (a Hugging Face folder): the trained model, for other methods to read. */
    public java.util.Optional<Path> finalCheckpoint() {
        return java.util.Optional.ofNullable(finalCheckpoint);
    }

    /** Everything measured at one point of the run; at step 0 it is the starting model. */
    public record Measurement(long step, long tokens, double validationLoss, Map<String, MatrixDiagnostics> matrices,
                              List<ActivationProbe.LayerActivity> activity, Map<String, Double> downstream) {
    }

    /**
     * @param modules the measured modules in the model's order, with their roles (the report groups them by role)
     * @param data what the model was trained on, in words
     */
    public record Results(ContinuedPretrainingConfig config, String data, List<LinearModule> modules,
                          List<Measurement> measurements, double secondsTraining) {
        public Measurement start() {
            return measurements.getFirst();
        }

        public Measurement end() {
            return measurements.getLast();
        }
    }

    /** What the run's key holds besides the training configuration: the batches' shape and the text's name. */
    private record Setup(int batchSize, int sequenceLength, String data) {
    }

    /**
     * @param train the training text as one packed token stream (at least {@code config.tokens()} tokens)
     * @param validation held-out text of the same kind, for the validation loss
     * @param inputs the starting weights' fingerprint, the text's hash and the seed
     */
    public Results run(int[] train, int[] validation, String data, Path folder, RunInputs inputs) {
        if (train.length < config.tokens() + 1) {
            throw new IllegalArgumentException(data + ": " + train.length + " training tokens, fewer than the "
                    + config.tokens() + " that " + config.steps() + " steps of " + config.batchSize() + " x "
                    + config.sequenceLength() + " take");
        }
        List<LinearModule> modules = model.linearModules();
        Map<String, Matrix> start = new LinkedHashMap<>();
        modules.forEach(m -> start.put(m.name(), WeightUpdate.read(model, m)));
        PackedBatches trainBatches = new PackedBatches(train, config.batchSize(), config.sequenceLength());
        PackedBatches validationBatches = new PackedBatches(validation, config.batchSize(), config.sequenceLength());
        RunFolder run = RunFolder.keyed(folder, "run",
                Trainer.key(config.training(), new Setup(config.batchSize(), config.sequenceLength(), data), inputs),
                Provenance.of(inputs, Map.of("data", data)), progress);
        Trainer trainer = new Trainer(model, Objective.nextToken(), trainBatches, validationBatches, config.training(),
                run, listener);
        List<Measurement> measurements = new ArrayList<>();
        progress.accept("measuring the starting model");
        // The starting model is measured before the trainer touches it (a resumed trainer loads its saved weights).
        measurements.add(measure(model, 0, 0, trainer.evaluate(), start));
        progress.accept(String.format(java.util.Locale.ROOT, "training %,d steps of %d x %d tokens on %s%s",
                config.steps(), config.batchSize(), config.sequenceLength(), data, run.resumed() ? " (resuming)" : ""));
        Trainer.History history = trainer.run();
        Map<Long, Double> losses = new LinkedHashMap<>();
        history.evaluations().forEach(e -> losses.put(e.tokens(), e.loss()));
        for (Path checkpoint : checkpoints(run.resolve("checkpoints"))) {
            long tokens = Long.parseLong(checkpoint.getFileName().toString().substring("tokens-".length()));
            progress.accept("measuring " + checkpoint.getFileName());
            try (TransformerModel trained = Models.load(checkpoint)) {
                measurements.add(measure(trained, tokens / config.tokensPerStep(), tokens,
                        losses.getOrDefault(tokens, Double.NaN), start));
            }
        }
        List<Path> saved = checkpoints(run.resolve("checkpoints"));
        finalCheckpoint = saved.isEmpty() ? null : saved.getLast();
        Results results = new Results(config, data, modules, measurements, history.secondsTraining());
        run.writeResults(results);
        return results;
    }

    private Measurement measure(TransformerModel m, long step, long tokens, double validationLoss,
                                Map<String, Matrix> start) {
        Map<String, MatrixDiagnostics> matrices = new LinkedHashMap<>();
        for (LinearModule module : m.linearModules()) {
            matrices.put(module.name(), MatrixDiagnostics.of(WeightUpdate.read(m, module), start.get(module.name())));
        }
        return new Measurement(step, tokens, validationLoss, matrices, activations.measure(m), downstream.measure(m));
    }

    private static List<Path> checkpoints(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            // Zero-padded token counts: the names sort in training order.
            return s.filter(p -> p.getFileName().toString().startsWith("tokens-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": the run's checkpoints cannot be listed", e);
        }
    }
}
