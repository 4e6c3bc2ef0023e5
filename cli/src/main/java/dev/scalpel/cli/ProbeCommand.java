package dev.scalpel.cli;

import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.EmbeddingTokenizer;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.interpret.data.JsonlDataset;
import dev.scalpel.interpret.data.LabeledDataset;
import dev.scalpel.interpret.data.SpamAssassin;
import dev.scalpel.interpret.probe.Binarization;
import dev.scalpel.interpret.probe.FeatureExtractor;
import dev.scalpel.interpret.probe.HiddenStateFeatures;
import dev.scalpel.interpret.probe.ActivationSample;
import dev.scalpel.interpret.probe.HookActivations;
import dev.scalpel.interpret.sae.ReconstructionCheck;
import dev.scalpel.interpret.probe.LogisticProbe;
import dev.scalpel.interpret.probe.ProbeExperiment;
import dev.scalpel.interpret.probe.ProbeHyperparameters;
import dev.scalpel.interpret.probe.ProbeReport;
import dev.scalpel.interpret.probe.ProbeResult;
import dev.scalpel.interpret.probe.SaeFeatures;
import dev.scalpel.interpret.probe.TextTokenizer;
import dev.scalpel.interpret.probe.TfIdfBaseline;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel probe --model M --hook H [--sae DIR] --data FILE --text-field T --label-field L [--report DIR] [--json]}: the
 * MOSAIC probing experiment. One forward pass over the data gives the hook's activations; from them come SAE features
 * (with --sae) and the hidden-state baseline; the TF-IDF baseline reads the texts. Each is classified by a logistic
 * probe whose C is chosen by stratified 5-fold cross-validation on the same 80% training split, and scored on the same
 * 20% test split.
 */
@Command(name = "probe", description = {
    "Probe a model's activations for a text classification: SAE features (with --sae), the hidden-state baseline and",
    "a TF-IDF baseline, each a logistic regression with C chosen by stratified 5-fold cross-validation, all scored on",
    "the same stratified 20%% test split (macro-F1, accuracy, per-class report, confusion matrix, accuracy per group).",
    "--report DIR writes report.html, report.json and results.json; --json ends with the results on one line."})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "a model folder, a Hugging Face id from"
            + " the cache, or minilm (all-MiniLM-L6-v2, tokenized as Scalpel's MiniLM embeddings are)")
    String model;

    @Option(names = "--hook", required = true, paramLabel = "H", description = "the hook point to read, e.g. "
            + "blocks.3.hook_resid_post (scalpel inspect lists them)")
    String hook;

    @Option(names = "--sae", paramLabel = "DIR", description = "a sparse autoencoder trained on that hook")
    Path sae;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "a .jsonl or .jsonl.gz file, or "
            + SpamAssassin.NAME + " for the bundled SpamAssassin corpus")
    String data;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "T", description = "JSONL text field (default ${DEFAULT-VALUE})")
    String textField;

    @Option(names = "--label-field", defaultValue = "label", paramLabel = "L", description = "JSONL label field (default ${DEFAULT-VALUE})")
    String labelField;

    @Option(names = "--group-field", defaultValue = "group", paramLabel = "G", description = "JSONL field of a finer "
            + "grouping, reported separately where present (default ${DEFAULT-VALUE})")
    String groupField;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--pooling", defaultValue = "sum", paramLabel = "P", description = "SAE pooling over tokens: sum, "
            + "mean, max, last or topn:N (default ${DEFAULT-VALUE})")
    String pooling;

    @Option(names = "--binarize", paramLabel = "T", description = "binarize pooled SAE features: 1 where > T (the "
            + "method's best setting is --pooling sum --binarize 1.0); default off")
    Float binarize;

    @Option(names = "--hidden-pooling", paramLabel = "P", description = "hidden-state baseline pooling (default: last "
            + "for decoders, mean for encoders)")
    String hiddenPooling;

    @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N", description = "tokens per text at most, "
            + "special tokens included (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--drop-special-tokens", description = "leave BOS / [CLS] / [SEP] out of the pooling")
    boolean dropSpecialTokens;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of the split and folds (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "B", description = "texts per forward pass (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--class-weight", defaultValue = "none", paramLabel = "W", description = "none or balanced, for the "
            + "SAE and hidden-state probes (the TF-IDF baseline is always balanced; default ${DEFAULT-VALUE})")
    String classWeight;

    @Mixin
    HyperparameterOptions hparams = new HyperparameterOptions();

    /** Opens the --sae folder (a SAELens folder or a Gemma Scope params.npz); tests may set their own. */
    Function<Path, SparseAutoencoder> saeLoader = dev.scalpel.interpret.sae.SaeLoader::load;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TokenPooling saePooling = TokenPooling.parse(pooling);
        boolean balanced = switch (classWeight) {
            case "none" -> false;
            case "balanced" -> true;
            default -> throw new ScalpelException("--class-weight must be none or balanced, not '" + classWeight + "'");
        };
        if (maxTokens < 2) {
            throw new ScalpelException("--max-tokens must be at least 2: " + maxTokens);
        }
        LabeledDataset dataset = loadData();
        out.printf("%s: %d examples%s%n", dataset.source(), dataset.texts().size(),
                dataset.malformed() > 0 ? " (" + dataset.malformed() + " malformed messages read raw)" : "");
        ProbeExperiment experiment = ProbeExperiment.standard(dataset.texts(), seed);
        ProbeHyperparameters hp = ProbeHyperparameters.load(hparams.file != null ? hparams.file : "mosaic",
                hparams.parsed());
        LogisticProbe.Config probeConfig = hp.probe().withBalanced(balanced || hp.probe().balanced());

        List<ProbeResult> results = new ArrayList<>();
        ProbeReport.Config config;
        try (Opened opened = openModel(); SparseAutoencoder autoencoder = sae == null ? null : saeLoader.apply(sae)) {
            boolean causal = opened.model().config().causal();
            TokenPooling hiddenPool = hiddenPooling == null ? HiddenStateFeatures.defaultPooling(causal)
                    : TokenPooling.parse(hiddenPooling);
            Binarization binarization = binarize == null ? null : Binarization.above(binarize);
            if (autoencoder != null && !autoencoder.metadata().hookName().isEmpty()
                    && !autoencoder.metadata().hookName().equals(hook)) {
                spec.commandLine().getErr().println("warning: the SAE was trained on " + autoencoder.metadata().hookName()
                        + ", not " + hook);
            }
            config = new ProbeReport.Config(model, hook, sae == null ? null : sae.toString(), saePooling.name(),
                    binarization == null ? null : binarization.describe(), hiddenPool.name(), maxTokens,
                    dropSpecialTokens, seed, probeConfig.balanced(), probeConfig.cGrid());

            int n = dataset.texts().size();
            HiddenStateFeatures hidden = new HiddenStateFeatures(hiddenPool, n);
            SaeFeatures saeFeatures = autoencoder == null ? null : new SaeFeatures(autoencoder, saePooling, binarization, n);
            ActivationSample sample = new ActivationSample(4096);
            long start = System.nanoTime();
            HookActivations activations = new HookActivations(opened.model(), opened.tokenizer(),
                    new HookActivations.Config(hook, batchSize, dropSpecialTokens));
            HookActivations.Consumer[] consumers = saeFeatures == null
                    ? new HookActivations.Consumer[] {hidden}
                    : new HookActivations.Consumer[] {hidden, saeFeatures, sample};
            activations.run(experiment.texts(), progress(out), consumers);
            if (autoencoder != null && sample.count() >= 2) {
                checkReconstruction(autoencoder, sample);
            }
            out.printf("activations at %s of %d texts in %.1f s%n", hook, n, (System.nanoTime() - start) / 1e9);
            LogisticProbe probe = new LogisticProbe(probeConfig);
            if (saeFeatures != null) {
                results.add(report(out, experiment.run("sae", FeatureExtractor.of(saeFeatures.matrix()), probe)));
            }
            // Hidden states standardized per fit (their columns differ in scale by orders of magnitude), as MOSAIC's do.
            results.add(report(out, experiment.run("hidden_state", FeatureExtractor.of(hidden.matrix()),
                    probe.standardizing())));
        }
        results.add(report(out, experiment.run("tfidf", new TfIdfBaseline(hp.tfidf()),
                new LogisticProbe(TfIdfBaseline.probeConfig(probeConfig)))));
        ProbeReport outcome = new ProbeReport(dataset, experiment, config, results);
        output.emit(out, outcome.report(), outcome.results(), null);
        return 0;
    }

    /** Warns when the SAE does not reconstruct these activations (wrong hook, BOS, scaling): its features would mislead. */
    private void checkReconstruction(SparseAutoencoder autoencoder, ActivationSample sample) {
        try (ai.djl.ndarray.NDManager nd = autoencoder.manager().newSubManager()) {
            ReconstructionCheck check = ReconstructionCheck.measure(autoencoder, sample.rows(nd));
            ReconstructionCheck.Verdict verdict = check.verdict();
            if (verdict.passed()) {
                spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                        "SAE reconstruction on %d of these tokens: FVU %.3f, L0 %.1f%n", check.rows(), check.fvu(),
                        check.meanL0());
            } else {
                spec.commandLine().getErr().println("warning: " + verdict.message());
            }
        }
    }

    private LabeledDataset loadData() {
        if (data.equals(SpamAssassin.NAME) && !Files.exists(Path.of(data))) {
            SpamAssassin corpus = SpamAssassin.load();
            return new LabeledDataset(SpamAssassin.NAME, corpus.texts(), corpus.malformed());
        }
        Path file = Path.of(data);
        return new LabeledDataset(file.toString(), JsonlDataset.read(file,
                new JsonlDataset.Fields(textField, labelField, groupField, "id")), 0);
    }

    /** The model and how its texts are tokenized. */
    private record Opened(TransformerModel model, TextTokenizer tokenizer, AutoCloseable owner) implements AutoCloseable {
        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Opened openModel() {
        if (model.equals(MiniLm.NAME) && !Files.isDirectory(Path.of(model))) {
            TransformerModel encoder = MiniLm.loadModel();
            try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
                if (in == null) {
                    throw new ScalpelException(MiniLm.TOKENIZER_RESOURCE + " is not on the class path");
                }
                EmbeddingTokenizer tokenizer = EmbeddingTokenizer.fromJson(in.readAllBytes(), MiniLm.TOKENIZER_RESOURCE,
                        Math.min(maxTokens, encoder.config().maxPositions()));
                return new Opened(encoder, TextTokenizer.of(tokenizer), () -> {
                    tokenizer.close();
                    encoder.close();
                });
            } catch (IOException | RuntimeException e) {
                encoder.close();
                throw e instanceof RuntimeException r ? r : new ScalpelException("minilm tokenizer: " + e.getMessage(), e);
            }
        }
        LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(model));
        try {
            int limit = Math.min(maxTokens, loaded.model().config().maxPositions());
            return new Opened(loaded.model(), TextTokenizer.of(loaded.requireTokenizer(), limit), loaded);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** A line every tenth of the way. */
    private static ActivationStream.Progress progress(PrintWriter out) {
        int[] lastTenth = {0};
        return (done, total) -> {
            int tenth = (int) (10L * done / total);
            if (tenth > lastTenth[0]) {
                lastTenth[0] = tenth;
                out.printf("  %d / %d texts%n", done, total);
                out.flush();
            }
        };
    }

    private static ProbeResult report(PrintWriter out, ProbeResult r) {
        out.printf("%-13s C=%-6s CV macro-F1 %.3f ± %.3f   test macro-F1 %.3f  accuracy %.3f  (%d features, %.1f s)%n",
                r.name(), ProbeReport.formatC(r.chosenC()), r.cvMacroF1Mean(), r.cvMacroF1Std(), r.test().macroF1(),
                r.test().accuracy(), r.features(), r.seconds());
        out.flush();
        return r;
    }
}
