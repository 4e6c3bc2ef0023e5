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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small training loop: AdamW with warm-up and cosine decay, gradient accumulation and clipping, periodic validation,
 * a ladder of Hugging Face checkpoints every N tokens, and a resumable state so that a run killed at any point and
 * started again ends with the same weights as one that was never interrupted.
 *
 * <p>Run folder layout: {@code state/} (the latest resumable state: model folder, optimizer moments, trainer.json),
 * {@code checkpoints/tokens-NNNNNNNNNNNN/} (Hugging Face folders), {@code history.json} (losses per step).
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int EVAL_BATCHES = 8;

    private final TransformerModel model;
    private final Objective objective;
    private final BatchSource train;
    private final BatchSource validation;
    private final TrainingConfig config;
    private final Path runFolder;
    private final TrainingListener listener;
    private double previousSeconds;

    /**
     * @param validation batches for the validation loss, or null
     * @param runFolder where state, checkpoints and history go; an existing state there is resumed
     */
    public Trainer(TransformerModel model, Objective objective, BatchSource train, BatchSource validation,
                   TrainingConfig config, Path runFolder, TrainingListener listener) {
        this.model = model;
        this.objective = objective;
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.runFolder = runFolder;
        this.listener = listener;
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
                                + " raise warm-up. The last good state is in " + runFolder.resolve("state"));
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
                    Path ladder = runFolder.resolve("checkpoints").resolve(String.format("tokens-%012d", tokens));
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
        Path state = runFolder.resolve("state");
        Path trainerJson = state.resolve("trainer.json");
        try {
            recoverInterruptedSave(state);
            if (!Files.exists(trainerJson)) {
                return 0;
            }
            ObjectNode t = (ObjectNode) JSON.readTree(trainerJson.toFile());
            if (t.get("seed").asLong() != config.seed() || t.get("total_steps").asLong() != config.steps()) {
                throw new ScalpelException(state + ": holds a run with another seed or length (seed " + t.get("seed")
                        + ", steps " + t.get("total_steps") + "); use another run folder or delete it");
            }
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
        } catch (IOException e) {
            throw new ScalpelException(state + ": cannot resume: " + e.getMessage(), e);
        }
    }

    // A kill between the two renames of saveState leaves a complete state.tmp (or state.old) and no state.
    private void recoverInterruptedSave(Path state) throws IOException {
        if (Files.exists(state)) {
            return;
        }
        for (String candidate : new String[] {"state.tmp", "state.old"}) {
            Path c = runFolder.resolve(candidate);
            if (Files.exists(c.resolve("trainer.json")) && Files.exists(c.resolve("optimizer.safetensors"))) {
                Files.move(c, state, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
        }
    }

    private void saveState(AdamW adam, long nextStep, List<StepRecord> steps, List<EvalRecord> evals, double seconds) {
        Path tmp = runFolder.resolve("state.tmp");
        Path state = runFolder.resolve("state");
        try {
            dev.scalpel.core.io.Folders.deleteRecursively(tmp);
            Files.createDirectories(tmp);
            ModelWriter.save(model, tmp.resolve("model"));
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            adam.state().forEach((k, v) -> entries.add(SafetensorsWriter.f32(k, v.getShape().getShape(), v.toFloatArray())));
            SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), entries, Map.of("format", "pt"));
            ObjectNode t = JSON.createObjectNode();
            t.put("step", nextStep).put("adam_steps", adam.steps()).put("seed", config.seed())
                    .put("total_steps", config.steps()).put("seconds", seconds);
            ArrayNode h = t.putArray("history");
            steps.forEach(s -> h.add(JSON.valueToTree(s)));
            ArrayNode ev = t.putArray("evaluations");
            evals.forEach(e -> ev.add(JSON.valueToTree(e)));
            JSON.writeValue(tmp.resolve("trainer.json").toFile(), t);
            // Swap in the new state only once it is complete: a kill mid-save leaves the previous one intact.
            Path old = runFolder.resolve("state.old");
            dev.scalpel.core.io.Folders.deleteRecursively(old);
            if (Files.exists(state)) {
                Files.move(state, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE);
            dev.scalpel.core.io.Folders.deleteRecursively(old);
            AtomicFiles.writeJson(JSON, runFolder.resolve("history.json"), new History(steps, evals, seconds));
        } catch (IOException e) {
            throw new ScalpelException(runFolder + ": cannot save the training state: " + e.getMessage(), e);
        }
    }
}
