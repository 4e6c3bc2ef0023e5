package dev.scalpel.lab.build;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.io.DType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hparams.HyperparameterFiles;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.PackedBatches;
import dev.scalpel.core.train.Trainer;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.lab.corpus.MixWeights;
import dev.scalpel.lab.corpus.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A ladder of lab language models for scaling studies (the QiD reproduction): several sizes, each trained once with one
 * schedule on the lab's training mix, checkpointed along the way the way Pythia's suite is, so that each size gives
 * checkpoints at several training-token counts. The recipe is {@code hparams/qid-ladder/{profile}.json} in lab's
 * resources; every size's training run is keyed by the recipe, the data and its initial weights and resumes where it
 * stopped.
 */
public final class LabLadder {
    /**
     * The recipe.
     *
     * @param sizes the model sizes (a name and a Hugging Face config.json each; their vocab_size is the profile's)
     * @param checkpoints which of the run's checkpoints to keep, as multiples of {@code training.checkpointEveryTokens}
     */
    public record Spec(String name, LabProfile profile, List<Size> sizes, MixWeights mix, int sequenceLength,
                       int batchSize, TrainingConfig training, List<Integer> checkpoints) {
        public Spec {
            sizes = List.copyOf(sizes);
            checkpoints = List.copyOf(checkpoints);
            long last = checkpoints.stream().mapToLong(Integer::longValue).max().orElse(0) * training.checkpointEveryTokens();
            long trained = training.steps() * training.accumulation() * batchSize * sequenceLength;
            if (sizes.isEmpty() || checkpoints.isEmpty() || training.checkpointEveryTokens() <= 0 || last > trained
                    || training.checkpointEveryTokens() % ((long) training.accumulation() * batchSize * sequenceLength) != 0) {
                throw new IllegalArgumentException("a ladder needs sizes and checkpoints, whole steps between "
                        + "checkpoints, and its last checkpoint (" + last + " tokens) within its training (" + trained + ")");
            }
        }

        public static Spec of(LabProfile profile) {
            String file = profile.name().toLowerCase(Locale.ROOT);
            Spec spec = HyperparameterFiles.load(Spec.class, "qid-ladder", file, List.of());
            for (Size s : spec.sizes()) {
                if (s.config().path("vocab_size").asInt(-1) != profile.vocabSize()) {
                    throw new ScalpelException(HyperparameterFiles.resource("qid-ladder", file) + ": size " + s.name()
                            + " has vocab_size " + s.config().path("vocab_size") + ", not the " + file + " tokenizer's "
                            + profile.vocabSize());
                }
            }
            return spec;
        }

        /** The training tokens of the checkpoints kept. */
        public List<Long> checkpointTokens() {
            return checkpoints.stream().map(c -> c * training.checkpointEveryTokens()).toList();
        }
    }

    /** One model size of the ladder. */
    public record Size(String name, ObjectNode config) {
    }

    /** What a size's run key holds beside the training configuration. */
    private record Setup(String ladder, Size size, MixWeights mix, int sequenceLength, int batchSize) {
    }

    /** One trained size: its parameter count and its kept checkpoints (complete Hugging Face folders, tokenizer included). */
    public record TrainedSize(String name, long parameters, List<Path> checkpoints, Path run) {
    }

    private final Spec spec;
    private final LabHome home;
    private final Path work;
    private final boolean quiet;
    private final Consumer<String> log;

    /**
     * @param home where the lab's data (corpora, tokenizer) is prepared
     * @param work where the sizes' training runs go
     */
    public LabLadder(Spec spec, LabHome home, Path work, boolean quiet, Consumer<String> log) {
        this.spec = spec;
        this.home = home;
        this.work = work;
        this.quiet = quiet;
        this.log = log;
    }

    /** Trains every size not yet trained (resuming an interrupted one) and returns them all. */
    public List<TrainedSize> train() {
        List<TrainedSize> out = new ArrayList<>();
        try (LabData data = LabData.prepare(home, spec.profile(), LabSpec.SEED)) {
            long tokens = spec.training().steps() * spec.training().accumulation() * spec.batchSize() * spec.sequenceLength();
            int[] stream = null;
            for (Size size : spec.sizes()) {
                try (NDManager nd = NDManager.newBaseManager();
                     TransformerModel model = Models.initialize(size.config(), spec.training().seed(), DType.F32, nd)) {
                    RunInputs inputs = new RunInputs(spec.name() + "-" + size.name(), WeightFingerprint.of(model),
                            Map.of("lab_data", data.hash()), spec.training().seed());
                    RunFolder run = RunFolder.keyed(work, size.name(), Trainer.key(spec.training(),
                                    new Setup(spec.name(), size, spec.mix(), spec.sequenceLength(), spec.batchSize()), inputs),
                            Provenance.of(inputs, Map.of("profile", spec.profile().name().toLowerCase(Locale.ROOT))), log);
                    List<Path> kept = spec.checkpointTokens().stream()
                            .map(t -> run.resolve("checkpoints").resolve(String.format("tokens-%012d", t))).toList();
                    if (!kept.stream().allMatch(p -> Files.isRegularFile(p.resolve("tokenizer.json")))) {
                        if (stream == null) {
                            log.accept(String.format(Locale.ROOT, "preparing %,d training tokens", tokens));
                            // Every size sees the same token stream, in the same order.
                            stream = data.trainingStream(spec.mix(), spec.training().seed(), tokens);
                        }
                        log.accept(String.format(Locale.ROOT, "training size %s (%,d parameters) to %,d tokens in %s",
                                size.name(), model.parameters().count(), tokens, run.path()));
                        var train = new PackedBatches(stream, spec.batchSize(), spec.sequenceLength());
                        var validation = new PackedBatches(data.proseStream(Split.VALIDATION), spec.batchSize(),
                                spec.sequenceLength());
                        try (ProgressListener listener = new ProgressListener(spec.name() + "-" + size.name(),
                                spec.training().steps(), quiet)) {
                            new Trainer(model, Objective.nextToken(), train, validation, spec.training(), run, listener).run();
                        }
                        for (Path checkpoint : kept) {
                            completeFolder(checkpoint, data);
                        }
                    }
                    out.add(new TrainedSize(size.name(), model.parameters().count(), kept, run.path()));
                }
            }
        }
        return out;
    }

    /** A checkpoint as the trainer writes it has weights and config; the ladder's also carry the tokenizer. */
    private static void completeFolder(Path checkpoint, LabData data) {
        if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
            throw new ScalpelException(checkpoint + ": the training run wrote no checkpoint here (its checkpoint "
                    + "interval does not match the recipe's)");
        }
        try {
            for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(data.tokenizerFolder().resolve(f), checkpoint.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ScalpelException(checkpoint + ": cannot copy the tokenizer: " + e.getMessage(), e);
        }
    }
}
