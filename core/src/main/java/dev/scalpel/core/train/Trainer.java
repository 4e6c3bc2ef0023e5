package dev.scalpel.core.train;

import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.model.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small training loop: AdamW with warm-up and cosine decay, gradient accumulation and clipping, periodic validation,
 * a ladder of Hugging Face checkpoints every N tokens, and a resumable state so that a run killed at any point and
 * started again ends with the same weights as one that was never interrupted.
 *
 * <p>The run folder ({@link RunFolder}, opened by the caller with a key that holds everything the run depends on: the
 * training configuration, the data, the initial weights, the seed) holds {@code state/} (the checkpoint: model
 * folder, optimizer moments, trainer.json), {@code checkpoints/tokens-NNNNNNNNNNNN/} (Hugging Face folders) and
 * {@code history.json} (losses per step).
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int EVAL_BATCHES = 8;

    private final TransformerModel model;
    private final Objective objective;
    private final BatchSource train;
    private final BatchSource validation;
    private final TrainingConfig config;
    private final RunFolder run;
    private final TrainingListener listener;
    private double previousSeconds;

    /**
     * @param validation batches for the validation loss, or null
     * @param run where state, checkpoints and history go; its checkpoint, if any, is this run's and is resumed
     */
    public Trainer(TransformerModel model, Objective objective, BatchSource train, BatchSource validation,
                   TrainingConfig config, RunFolder run, TrainingListener listener) {
        this.model = model;
        this.objective = objective;
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.run = run;
        this.listener = listener;
    }

    /** What a training run's key holds as its configuration: how it trains, and what it trains on (set by the caller). */
    public record RunConfiguration(TrainingConfig training, Object setup) {
    }

    /**
     * The key of a training run, for {@link RunFolder#open} or {@link RunFolder#keyed}: the training configuration, the
     * caller's {@code setup} (model shape, batch shape, data mix: anything else its batches and objective depend on; a
     * record, so that its JSON has one field order), the initial weights, the data's hashes and the seed.
     */
    public static ObjectNode key(TrainingConfig training, Object setup, RunInputs inputs) {
        return RunFolder.key("training", new RunConfiguration(training, setup), inputs);
    }

    /** One step's record in the history. */
    public record StepRecord(long step, long tokens, double loss, double learningRate, double gradNorm, double tokensPerSecond) {
    }

    /** One validation's record in the history. */
    public record EvalRecord(long step, long tokens, double loss) {
    }

    /** The whole run's history (including steps before a resume). */
    public record History(List<StepRecord> steps, List<EvalRecord> evaluations, double secondsTraining) {
    }

    public History run() {
        long tokensPerStep = (long) train.batchSize() * train.sequenceLength() * config.accumulation();
        Schedule schedule = config.schedule();
        List<StepRecord> steps = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        try (AdamW adam = new AdamW(model.parameters(), config.adam())) {
            long start = resume(adam, steps, evals);
            double seconds = previousSeconds;
            model.parameters().requireGradients(true);
            long lastCheckpointTokens = start * tokensPerStep;
            for (long step = start; step < config.steps(); step++) {
                long t0 = System.nanoTime();
                double loss = accumulate(step);
                double norm = GradientClipping.clip(model.parameters(), config.clipNorm());
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    // Nothing is applied yet: the parameters and moments are the state before this step, so the step
                    // can be recomputed exactly (same batches). A transient fault passes; a real divergence repeats.
                    double badLoss = loss;
                    double badNorm = norm;
                    GradientClipping.zero(model.parameters());
                    loss = accumulate(step);
                    norm = GradientClipping.clip(model.parameters(), config.clipNorm());
                    boolean recovered = Double.isFinite(loss) && Double.isFinite(norm);
                    listener.onNonFiniteStep(step, badLoss, badNorm, recovered);
                    if (!recovered) {
                        throw new ScalpelException("training diverged at step " + step + " (loss " + loss
                                + ", gradient norm " + norm + ", twice from the same state); lower the learning rate or"
                                + " raise warm-up. The last good state is in " + run.state());
                    }
                }
                double lr = schedule.at(step);
                adam.step(lr);
                GradientClipping.zero(model.parameters());
                double dt = (System.nanoTime() - t0) / 1e9;
                seconds += dt;
                long tokens = (step + 1) * tokensPerStep;
                StepRecord record = new StepRecord(step, tokens, loss, lr, norm, tokensPerStep / dt);
                steps.add(record);
                listener.onStep(step, config.steps(), loss, lr, norm, tokensPerStep / dt);
                boolean last = step == config.steps() - 1;
                if (validation != null && config.evalEvery() > 0 && ((step + 1) % config.evalEvery() == 0 || last)) {
                    double v = evaluate();
                    evals.add(new EvalRecord(step, tokens, v));
                    listener.onEvaluation(step, v);
                }
                if (config.checkpointEveryTokens() > 0 && tokens - lastCheckpointTokens >= config.checkpointEveryTokens() || last) {
                    lastCheckpointTokens = tokens;
                    Path ladder = run.resolve("checkpoints").resolve(String.format("tokens-%012d", tokens));
                    ModelWriter.save(model, ladder);
                    saveState(adam, step + 1, steps, evals, seconds);
                    listener.onCheckpoint(step, tokens, ladder);
                }
            }
            return new History(steps, evals, seconds);
        } finally {
            model.parameters().requireGradients(false);
        }
    }

    /** The accumulated gradients of one optimizer step, and its mean loss. */
    private double accumulate(long step) {
        double loss = 0;
        for (int micro = 0; micro < config.accumulation(); micro++) {
            loss += microStep(step * config.accumulation() + micro) / config.accumulation();
        }
        return loss;
    }

    private double microStep(long index) {
        try (NDManager m = model.newManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ids = m.create(train.batch(index)).reshape(train.batchSize(), train.sequenceLength());
            NDArray loss = Scalars.div(objective.loss(model, ids, index, m), config.accumulation());
            collector.backward(loss);
            return loss.getFloat() * config.accumulation();
        }
    }

    /** Mean objective over the validation batches (seeded identically every time, so values are comparable). */
    public double evaluate() {
        double total = 0;
        int n = EVAL_BATCHES;
        for (int i = 0; i < n; i++) {
            try (NDManager m = model.newManager()) {
                NDArray ids = m.create(validation.batch(i)).reshape(validation.batchSize(), validation.sequenceLength());
                total += objective.loss(model, ids, Long.MAX_VALUE - i, m).getFloat();
            }
        }
        return total / n;
    }

    private long resume(AdamW adam, List<StepRecord> steps, List<EvalRecord> evals) {
        if (!run.hasState()) {
            return 0;
        }
        Path state = run.state();
        try {
            ObjectNode t = (ObjectNode) JSON.readTree(state.resolve("trainer.json").toFile());
            try (TransformerModel saved = Models.load(state.resolve("model"))) {
                for (String name : model.parameters().names()) {
                    model.parameters().replace(name, saved.parameters().get(name));
                }
            }
            Map<String, float[]> moments = new LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(state.resolve("optimizer.safetensors"))) {
                for (String n : f.names()) {
                    moments.put(n, f.toFloats(n));
                }
            }
            long step = t.get("step").asLong();
            adam.restore(moments, t.get("adam_steps").asLong());
            for (var s : t.get("history")) {
                steps.add(JSON.treeToValue(s, StepRecord.class));
            }
            for (var e : t.get("evaluations")) {
                evals.add(JSON.treeToValue(e, EvalRecord.class));
            }
            previousSeconds = t.get("seconds").asDouble();
            return step;
        } catch (IOException | RuntimeException e) {
            throw new ScalpelException(state + ": cannot resume: " + e.getMessage(), e);
        }
    }

    /** One checkpoint: the model, the optimizer's moments and the step, swapped in whole by the run folder. */
    private void saveState(AdamW adam, long nextStep, List<StepRecord> steps, List<EvalRecord> evals, double seconds) {
        run.checkpoint(folder -> {
            ModelWriter.save(model, folder.resolve("model"));
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            adam.state().forEach((k, v) -> entries.add(SafetensorsWriter.f32(k, v.getShape().getShape(), v.toFloatArray())));
            SafetensorsWriter.write(folder.resolve("optimizer.safetensors"), entries, Map.of("format", "pt"));
            ObjectNode t = JSON.createObjectNode();
            t.put("step", nextStep).put("adam_steps", adam.steps()).put("seconds", seconds);
            ArrayNode h = t.putArray("history");
            steps.forEach(s -> h.add(JSON.valueToTree(s)));
            ArrayNode ev = t.putArray("evaluations");
            evals.forEach(e -> ev.add(JSON.valueToTree(e)));
            JSON.writeValue(folder.resolve("trainer.json").toFile(), t);
        });
        AtomicFiles.writeJson(JSON, run.resolve("history.json"), new History(steps, evals, seconds));
    }
}
