package dev.scalpel.cli;

import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.interpret.harvest.ActivationHarvester;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.HarvestManifest;
import dev.scalpel.interpret.harvest.HarvestMode;
import dev.scalpel.interpret.harvest.HarvestProgressBar;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import dev.scalpel.interpret.sae.train.SaeMetrics;
import dev.scalpel.interpret.sae.train.SaeTrainer;
import dev.scalpel.interpret.sae.train.SaeTrainingConfig;
import dev.scalpel.interpret.sae.train.SaeTrainingReport;
import dev.scalpel.interpret.sae.train.SaeTrainingResult;
import dev.scalpel.interpret.sae.train.SpliceEvaluation;
import dev.scalpel.interpret.sae.train.SpliceResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.scalpel.core.hparams.HyperparameterOverride;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel sae train --model M --hook H --data FILE_OR_DIR --architecture topk|standard --d-sae N --out DIR}:
 * harvests the hook's activations over the texts into {@code DIR/activations} (resumable: rerun the same command
 * after an interruption), trains an SAE on them, saves it in SAELens layout to {@code DIR/sae}, measures the model
 * with the SAE spliced in, and writes {@code DIR/training.json} (configuration, metrics, splice result).
 *
 * <p>Saving goes through {@code SaeWriter} (tests may pass another saver).
 */
@Command(name = "train", description = {
    "Train a sparse autoencoder on a hook point of a model: harvest the activations over a text dataset (resumable),",
    "train TopK (AuxK, unit-norm decoder, geometric-median b_pre) or standard ReLU + L1 (decoder-norm-weighted,",
    "warmed-up lambda), save it in SAELens layout, and measure the model's next-token loss (LMs) or embedding cosine",
    "(encoders) with the reconstruction spliced in at the hook. DIR/training.json records the run; --report DIR2",
    "writes its report (tables and training curves), --json ends with the same results on one line."})
final class SaeTrainCommand implements Callable<Integer> {
    private final BiConsumer<SparseAutoencoder, Path> saver;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model folder, org/name, or a named model (minilm, lab models)")
    String model;

    @Option(names = "--hook", required = true, paramLabel = "HOOK", description = "hook point, e.g. blocks.3.hook_resid_post (scalpel inspect lists them)")
    String hook;

    @Option(names = "--data", required = true, paramLabel = "FILE_OR_DIR", description = "texts read as lines: a .txt holds one text per line "
            + "(blank lines skipped), a .jsonl(.gz) one per line in --text-field; a folder is read recursively in path order")
    Path data;

    @Option(names = "--text-field", defaultValue = "text", description = "the JSON field holding the text (default ${DEFAULT-VALUE})")
    String textField;

    @Option(names = "--architecture", defaultValue = "topk", description = "topk or standard (default ${DEFAULT-VALUE})")
    String architecture;

    @Option(names = "--d-sae", required = true, paramLabel = "N", description = "number of latents")
    int dSae;

    @Option(names = "--k", defaultValue = "32", description = "TopK's k (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--steps", defaultValue = "10000", description = "training steps (default ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch-size", defaultValue = "4096", description = "activation rows per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", description = "Adam's learning rate (default: 1e-4 for topk, 3e-4 for standard)")
    Double lr;

    @Option(names = "--l1", defaultValue = "5", description = "standard's lambda, on activations scaled to E|x| = sqrt(d) (default ${DEFAULT-VALUE})")
    double l1;

    @Option(names = "--l1-warmup", description = "steps over which lambda rises from 0 (default: 5%% of --steps)")
    Long l1Warmup;

    @Option(names = "--aux-k", defaultValue = "256", description = "TopK's AuxK latents, 0 for none (default ${DEFAULT-VALUE})")
    int auxK;

    @Option(names = "--dead-tokens", defaultValue = "10000000", description = "a latent silent this many tokens is dead (default ${DEFAULT-VALUE})")
    long deadTokens;

    @Option(names = "--context-size", defaultValue = "128", description = "tokens kept per text, BOS included (default ${DEFAULT-VALUE}, capped at the model's positions)")
    int contextSize;

    @Option(names = "--harvest-batch", defaultValue = "8", description = "texts per forward pass while harvesting (default ${DEFAULT-VALUE})")
    int harvestBatch;

    @Option(names = "--shard-rows", defaultValue = "" + HarvestConfig.DEFAULT_SHARD_ROWS, description = "rows per activation shard (default ${DEFAULT-VALUE})")
    int shardRows;

    @Option(names = "--keep-bos", description = "train on BOS positions too (left out by default: their norms dwarf the rest)")
    boolean keepBos;

    @Option(names = "--eval-texts", defaultValue = "64", description = "texts (the first ones) for the splice evaluation; 0 skips it (default ${DEFAULT-VALUE})")
    int evalTexts;

    @Option(names = "--seed", defaultValue = "0", description = "seeds initialization and sampling (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--log-every", defaultValue = "100", description = "steps between metric lines (default ${DEFAULT-VALUE})")
    long logEvery;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder: activations/, sae/, training.json")
    Path out;

    @Option(names = "--hparam", paramLabel = "KEY=VALUE", description = "override one key of the recipe"
            + " (hparams/sae/topk.json or standard.json), e.g. clipNorm=0.5 (repeatable; applied after the options above)")
    List<String> hparams = new ArrayList<>();

    @Mixin
    ResultOptions output = new ResultOptions();

    /** Saves with {@link dev.scalpel.interpret.sae.SaeWriter}: a SAELens 6 folder. */
    SaeTrainCommand() {
        this(dev.scalpel.interpret.sae.SaeWriter::save);
    }

    /** @param saver writes an SAE as a SAELens folder (cfg.json + sae_weights.safetensors) at the given path */
    SaeTrainCommand(BiConsumer<SparseAutoencoder, Path> saver) {
        this.saver = saver;
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        SaeArchitecture arch = SaeArchitecture.fromSaeLens(architecture);
        List<String> texts = Corpus.read(data, Corpus.Reading.lines().withField(textField)).texts();
        Path folder = ModelArgument.resolve(model);
        try (LoadedModel loaded = LoadedModel.open(folder)) {
            int positions = loaded.model().config().maxPositions();
            HarvestConfig harvest = new HarvestConfig(hook, Math.min(contextSize, positions), harvestBatch, true, !keepBos,
                    HarvestMode.TOKENS, shardRows, DType.F32);
            TokenSource tokens = TokenSource.of(loaded, harvest.prependBos());
            Path activations = out.resolve("activations");
            o.printf("harvesting %s of %s over %d texts into %s%n", hook, model, texts.size(), activations);
            HarvestManifest manifest = new ActivationHarvester(loaded.model(), tokens, model, harvest)
                    .run(texts, activations, new HarvestProgressBar(o));
            o.printf("%,d rows of width %d in %d shard(s)%n", manifest.rows(), manifest.dimension(), manifest.shards().size());

            SaeTrainingConfig config = trainingConfig(arch);
            SaeMetadata metadata = new SaeMetadata(model, hook, harvest.contextSize(), tokens.startsWithBos(),
                    harvest.excludeBos());
            SaeTrainingResult result;
            try (ActivationShards shards = ActivationShards.open(activations)) {
                result = new SaeTrainer(config, m -> o.println(line(m, config.steps()))).train(shards, metadata);
            }
            try (SparseAutoencoder sae = result.sae()) {
                o.printf(Locale.ROOT, "trained in %.1f s (%.1f steps/s): L0 %.2f, FVU %.4f, dead %.1f%% on %d sampled rows%n",
                        result.seconds(), result.stepsPerSecond(), result.evaluation().l0(), result.evaluation().fvu(),
                        100 * result.evaluation().deadFraction(), result.evaluation().rows());
                Path saeFolder = out.resolve("sae");
                saver.accept(sae, saeFolder);
                o.println("saved " + saeFolder);
                SpliceResult splice = null;
                if (evalTexts > 0) {
                    splice = new SpliceEvaluation(loaded.model(), tokens, harvest)
                            .run(sae, texts.subList(0, Math.min(evalTexts, texts.size())));
                    o.println(describe(splice));
                }
                SaeTrainingReport outcome = new SaeTrainingReport(model, hook, manifest.rows(), config, result, splice);
                // training.json stays in the run folder whatever --report says: it is the run's own record.
                AtomicFiles.writeJson(Json.PRETTY, out.resolve("training.json"), outcome.results());
                output.emit(o, outcome.report(), outcome.results(), null);
            }
            return 0;
        }
    }

    /**
     * The architecture's recipe (hparams/sae/topk.json or standard.json), then this command's options, then the
     * user's {@code --hparam}s: the options are overrides like any other, with the command's defaults.
     */
    private SaeTrainingConfig trainingConfig(SaeArchitecture arch) {
        List<String> options = new ArrayList<>(List.of("dSae=" + dSae, "steps=" + steps, "batchSize=" + batchSize,
                "deadTokenWindow=" + deadTokens, "seed=" + seed, "logEvery=" + logEvery));
        String recipe = switch (arch) {
            case TOPK -> {
                options.addAll(List.of("k=" + k, "auxK=" + auxK));
                yield "topk";
            }
            case STANDARD -> {
                options.addAll(List.of("l1Coefficient=" + l1,
                        "l1WarmupSteps=" + (l1Warmup != null ? l1Warmup : Math.max(1, steps / 20))));
                yield "standard";
            }
            case JUMPRELU -> throw new ScalpelException("--architecture jumprelu: Scalpel trains topk and standard SAEs");
        };
        if (lr != null) {
            options.add("learningRate=" + lr);
        }
        List<HyperparameterOverride> overrides = new ArrayList<>(options.stream().map(HyperparameterOverride::parse).toList());
        overrides.addAll(hparams.stream().map(HyperparameterOverride::parse).toList());
        return SaeTrainingConfig.load(recipe, overrides);
    }

    static String line(SaeMetrics m, long steps) {
        return String.format(Locale.ROOT, "step %d/%d  loss %.5f  L0 %.2f  FVU %.4f  dead %.1f%%%s  (%.1f steps/s)",
                m.step(), steps, m.loss(), m.l0(), m.fvu(), 100 * m.deadFraction(),
                m.l1Coefficient() > 0 ? String.format(Locale.ROOT, "  lambda %.3g", m.l1Coefficient()) : "",
                m.stepsPerSecond());
    }

    static String describe(SpliceResult s) {
        return switch (s.measure()) {
            case NEXT_TOKEN_LOSS -> String.format(Locale.ROOT,
                    "next-token loss %.4f clean, %.4f with the SAE spliced in (%+.4f), %.4f with zeros: %.1f%% recovered"
                            + " (%d tokens)", s.clean(), s.spliced(), s.change(), s.zeroAblated(), 100 * s.recovered(),
                    s.count());
            case EMBEDDING_COSINE -> String.format(Locale.ROOT,
                    "embedding cosine with the SAE spliced in %.4f (zeros: %.4f): %.1f%% recovered (%d texts)",
                    s.spliced(), s.zeroAblated(), 100 * s.recovered(), s.count());
        };
    }
}
