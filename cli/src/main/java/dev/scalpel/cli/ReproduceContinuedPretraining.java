package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.pretraining.ContinuedPretraining;
import dev.scalpel.edit.pretraining.ContinuedPretrainingConfig;
import dev.scalpel.edit.pretraining.NormGrowthClaims;
import dev.scalpel.edit.pretraining.NormGrowthReport;
import dev.scalpel.edit.pretraining.TrainingText;
import dev.scalpel.edit.run.LabProbe;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.ProgressListener;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.prose.Passage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalpel reproduce continued-pretraining}: the norm-growth paper's first finding on continued pre-training. */
@Command(name = "continued-pretraining", description = {
    "Continued pre-training of a lab model on the lab's prose with the norm-growth diagnostics: every linear module's",
    "norm and spectrum, the activation drift and the downstream probes at each checkpoint; checks over seeds whether",
    "the norms of the updated matrices grow, for each weight decay. Resumable. claims.md and the report go to",
    "--report (default docs/reproductions/continued-pretraining)."})
final class ReproduceContinuedPretraining implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "lab-lm", description = "a lab model (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--tiny", description = "lab-lm-tiny, the tiny corpus and a few steps: a smoke test")
    boolean tiny;

    @Option(names = "--steps", description = "optimizer steps per run (default 400; 8 with --tiny)")
    Long steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "rows per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--sequence-length", description = "tokens per row (default 256, the lab's; 64 with --tiny)")
    Integer sequenceLength;

    @Option(names = "--learning-rate", defaultValue = "3e-4",
            description = "peak learning rate (default ${DEFAULT-VALUE}; lab-lm was trained at 1e-3, ending at 1e-4)")
    double learningRate;

    @Option(names = "--warmup", description = "warm-up steps (default a tenth of the steps)")
    Long warmup;

    @Option(names = "--weight-decays", split = ",", defaultValue = "0.1,0", description = {
        "one setting per AdamW weight decay (default ${DEFAULT-VALUE}: the lab's, and none, which shows what the decay",
        "itself does to the norms)"})
    List<Double> weightDecays;

    @Option(names = "--measurements", defaultValue = "4", description = "checkpoints measured, evenly spaced "
            + "(default ${DEFAULT-VALUE})")
    int measurements;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2",
            description = "one run per seed and setting, each seed another order of the text (default ${DEFAULT-VALUE})")
    List<Long> seeds;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--work", description = "run folders (default reproductions/continued-pretraining in the Scalpel "
            + "home)")
    Path work = ScalpelHome.fromEnvironment().reproductions("continued-pretraining");

    @Override
    public Integer call() {
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new ScalpelException("--seeds must name distinct seeds, got " + seeds);
        }
        if (weightDecays.isEmpty() || weightDecays.stream().distinct().count() != weightDecays.size()) {
            throw new ScalpelException("--weight-decays must name distinct values, got " + weightDecays);
        }
        PrintWriter console = spec.commandLine().getOut();
        LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
        String modelName = tiny && model.equals("lab-lm") ? "lab-lm-tiny" : model;
        Path modelFolder = ModelArgument.resolve(modelName);
        LabCorpus lab = LabCorpus.build(LabSpec.SEED, profile.corpus());
        long runSteps = steps != null ? steps : tiny ? 8 : 400;
        int length = sequenceLength != null ? sequenceLength : tiny ? 64 : 256;
        long warmupSteps = warmup != null ? warmup : runSteps / 10;
        Map<String, List<ContinuedPretraining.Results>> settings = new LinkedHashMap<>();
        for (double decay : weightDecays) {
            String setting = String.format(Locale.ROOT, "weight decay %s", decay);
            List<ContinuedPretraining.Results> runs = new ArrayList<>();
            for (long seed : seeds) {
                ContinuedPretrainingConfig config = new ContinuedPretrainingConfig(runSteps, batchSize, length,
                        learningRate, warmupSteps, decay, measurements, seed);
                console.println(setting + ", seed " + seed);
                Path folder = work.resolve(tiny ? "runs-tiny" : "runs")
                        .resolve(String.format(Locale.ROOT, "decay-%s", decay)).resolve("seed-" + seed);
                runs.add(run(modelFolder, lab, config, folder, console));
            }
            settings.put(setting, runs);
        }
        String claims = NormGrowthClaims.markdown(modelName, settings);
        console.println(claims);
        Path folder = output.folder(Path.of("docs", "reproductions", "continued-pretraining"));
        AtomicFiles.writeString(folder.resolve("claims.md"), claims);
        output.emit(console, NormGrowthReport.of(settings), Map.of("model", modelName, "settings", settings), folder);
        return 0;
    }

    /** One run from the trained model (loaded afresh: the run trains it in place). */
    private static ContinuedPretraining.Results run(Path modelFolder, LabCorpus lab, ContinuedPretrainingConfig config,
                                                    Path folder, PrintWriter console) {
        return run(modelFolder, lab, config, folder, console, p -> { });
    }

    /**
     * One run, as the reproduction makes it (so that other commands reuse its folder), handing its final checkpoint to
     * {@code finalCheckpoint}.
     */
    static ContinuedPretraining.Results run(Path modelFolder, LabCorpus lab, ContinuedPretrainingConfig config,
                                            Path folder, PrintWriter console,
                                            java.util.function.Consumer<Path> finalCheckpoint) {
        try (LoadedModel loaded = LoadedModel.open(modelFolder)) {
            Tokenizer tokenizer = loaded.requireTokenizer();
            if (loaded.generation().stopTokenIds().isEmpty()) {
                throw new ScalpelException(modelFolder + ": no end-of-text token in its config, and the text's documents "
                        + "are separated by one");
            }
            long eos = loaded.generation().stopTokenIds().iterator().next();
            long pad = loaded.generation().padTokenId();
            List<String> train = lab.prose().passages().train().stream().map(Passage::text).toList();
            List<String> validation = lab.prose().passages().validation().stream().map(Passage::text).toList();
            TrainingText text = TrainingText.of("the lab's prose (train split)", train, tokenizer, eos,
                    config.tokens() + 1, config.seed());
            // The validation loss reads 8 batches; the probes read the test split, as the editing runs' do.
            TrainingText held = TrainingText.of("the lab's prose (validation split)", validation, tokenizer, eos,
                    8L * config.tokensPerStep() + 1, null);
            LabProbe probe = new LabProbe(lab, tokenizer, eos, pad, true, 16 * 128, 40);
            ActivationProbe activations = new ActivationProbe(loaded.model(), EditCommand.probeWindows(tokenizer, lab), 8);
            RunInputs inputs = new RunInputs(modelFolder.getFileName().toString(), WeightFingerprint.of(loaded.model()),
                    Map.of("train_text", text.hash(), "validation_text", held.hash()), config.seed());
            try (ProgressListener listener = new ProgressListener("continued pre-training", config.steps(), false)) {
                ContinuedPretraining run = new ContinuedPretraining(loaded.model(), config, probe, activations,
                        console::println, listener);
                ContinuedPretraining.Results results = run.run(text.tokens(), held.tokens(), text.name(), folder, inputs);
                run.finalCheckpoint().ifPresent(finalCheckpoint);
                return results;
            }
        }
    }
}
