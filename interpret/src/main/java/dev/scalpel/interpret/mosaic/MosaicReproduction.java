package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.run.FinishedLines;

import dev.scalpel.core.io.Sha256;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.Folders;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.interpret.harvest.ActivationHarvester;
import dev.scalpel.interpret.harvest.ActivationRows;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.HarvestProgress;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.probe.Binarization;
import dev.scalpel.core.eval.ClassificationMetrics;
import dev.scalpel.interpret.probe.FeatureExtractor;
import dev.scalpel.interpret.probe.LogisticProbe;
import dev.scalpel.interpret.probe.ProbeExperiment;
import dev.scalpel.interpret.probe.ProbeResult;
import dev.scalpel.interpret.probe.TfIdfBaseline;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeLoader;
import dev.scalpel.interpret.sae.SaeWriter;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import dev.scalpel.interpret.sae.train.SaeTrainer;
import dev.scalpel.interpret.sae.train.SaeTrainingConfig;
import dev.scalpel.interpret.sae.train.SaeTrainingListener;
import dev.scalpel.interpret.sae.train.SaeTrainingResult;
import dev.scalpel.interpret.sae.train.SpliceEvaluation;
import dev.scalpel.interpret.sae.train.SpliceResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MOSAIC end to end on one model: for each layer, harvest the token activations of every text once; train each SAE on
 * the training split's tokens; pool its features per text in every way the grid asks; and probe each pooling, with and
 * without binarization, against the hidden-state and TF-IDF baselines on the same split and folds.
 *
 * <p>Every expensive step leaves its result in the work folder (harvests resume, SAEs are saved as SAELens folders, each
 * finished probe is a line of {@code cells.jsonl}), so an interrupted run picks up where it stopped.
 */
public final class MosaicReproduction {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where progress goes. */
    public interface Listener {
        void log(String line);

        HarvestProgress harvest();

        SaeTrainingListener training();
    }

    private final MosaicConfig config;
    private final Listener listener;

    public MosaicReproduction(MosaicConfig config, Listener listener) {
        this.config = config;
        this.listener = listener;
    }

    public MosaicResults run(TransformerModel model, TokenSource tokens, String modelName, List<LabeledText> all,
                             Path work) throws IOException {
        long start = System.nanoTime();
        List<LabeledText> data = subset(all, config.maxTexts());
        ProbeExperiment experiment = ProbeExperiment.standard(data, config.seed());
        List<String> texts = experiment.texts();
        Files.createDirectories(work);
        // Every finished cell depends on the whole configuration, the texts, the weights and the seed: they key its folder.
        RunInputs inputs = inputs(model, modelName, data);
        Provenance provenance = Provenance.of(inputs, Map.of());
        Path cellsFile = RunFolder.keyed(work.resolve("runs"), "run", RunFolder.key("mosaic-cells", config, inputs),
                provenance, listener::log).resolve("cells.jsonl");
        if (Files.exists(work.resolve("cells.jsonl"))) {
            listener.log(work.resolve("cells.jsonl") + " was written without its settings: its cells are not reused");
        }
        Map<String, MosaicResults.Cell> done = FinishedLines.read(cellsFile, MosaicResults.Cell.class,
                MosaicResults.Cell::key);
        List<MosaicResults.Cell> cells = new ArrayList<>();
        List<MosaicResults.SaeSummary> saes = new ArrayList<>();
        LogisticProbe probe = new LogisticProbe(LogisticProbe.Config.defaults());

        cells.add(cell(done, cellsFile, "tfidf", "tfidf", null, null, null, null, null, () -> experiment.run("tfidf",
                TfIdfBaseline.defaults(), new LogisticProbe(TfIdfBaseline.probeConfig(LogisticProbe.Config.defaults())))));

        for (int layer : config.layers()) {
            HarvestConfig harvest = harvestConfig(layer);
            Path activations = harvest(model, tokens, modelName, layer, texts, work.resolve("activations"), "layer-" + layer);
            try (ActivationShards shards = ActivationShards.open(activations);
                 NDManager manager = NDManager.newBaseManager()) {
                // Pooling and the training rows cost minutes and gigabytes: made only when a cell or an SAE needs them.
                Lazy<PooledFeatures> hidden = new Lazy<>(() -> PooledFeatures.ofActivations(shards, texts.size(), manager));
                for (TokenPooling p : List.of(TokenPooling.LAST, TokenPooling.MEAN)) {
                    // Standardized, as MOSAIC's classifiers see hidden states; the key says so, so that cells an
                    // earlier Scalpel probed unstandardized are not taken for these.
                    String key = "hidden/" + layer + "/" + keyLabel(p) + "/standardized";
                    cells.add(cell(done, cellsFile, key, "hidden_state", layer, null, null, p.name(), null,
                            () -> experiment.run(key, FeatureExtractor.of(hidden.get().matrix(p, null)),
                                    probe.standardizing())));
                }
                Lazy<ActivationRows> trainRows = new Lazy<>(() -> {
                    ActivationRows rows = trainingRows(shards, experiment.split().train());
                    listener.log(String.format("%,d training-split token rows of %,d", rows.rowCount(), shards.rowCount()));
                    return rows;
                });
                for (SaeArchitecture architecture : config.architectures()) {
                    for (int width : config.widths()) {
                        String name = saeName(layer, architecture, width);
                        try (SparseAutoencoder sae = sae(model, tokens, modelName, experiment, inputs, layer,
                                architecture, width, trainRows, work, saes)) {
                            Lazy<PooledFeatures> pooled = new Lazy<>(() -> {
                                listener.log("pooling the features of SAE " + name);
                                return PooledFeatures.ofSae(shards, texts.size(), sae, config.topN());
                            });
                            for (TokenPooling p : PooledFeatures.grid(config.topN())) {
                                for (Binarization b : binarizations()) {
                                    String bin = b == null ? null : b.describe();
                                    String key = "sae/" + name + "/" + keyLabel(p) + (b == null ? "" : "/" + bin);
                                    cells.add(cell(done, cellsFile, key, "sae", layer, architecture.saeLensName(), width,
                                            p.name(), bin, () -> experiment.run(key,
                                                    FeatureExtractor.of(pooled.get().matrix(p, b)), probe)));
                                }
                            }
                        }
                    }
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("examples", data.size());
        summary.put("classes", experiment.classes().names());
        summary.put("train", experiment.split().train().length);
        summary.put("test", experiment.split().test().length);
        summary.put("folds", experiment.folds().size());
        Map<String, Integer> groups = new LinkedHashMap<>();
        data.forEach(t -> groups.merge(String.valueOf(t.group()), 1, Integer::sum));
        summary.put("groups", groups);
        return new MosaicResults(modelName, config, summary, saes, cells, (System.nanoTime() - start) / 1e9);
    }

    /** How a layer is harvested: every text's tokens up to the context size, BOS left out. */
    HarvestConfig harvestConfig(int layer) {
        return HarvestConfig.tokens(config.hook(layer)).withContextSize(config.contextSize()).withBatchSize(16);
    }

    /**
     * The layer's token activations of every text, harvested into a folder of {@code parent} named {@code name} and
     * the harvest's key. The harvest refuses a folder of other texts or settings; in a folder named by its key, other
     * texts harvest beside it. It draws nothing at random, so another seed reuses it.
     */
    Path harvest(TransformerModel model, TokenSource tokens, String modelName, int layer, List<String> texts,
                 Path parent, String name) {
        String hook = config.hook(layer);
        ActivationHarvester harvester = new ActivationHarvester(model, tokens, modelName, harvestConfig(layer));
        Path activations = RunFolder.keyed(parent, name, harvester.key(texts),
                Provenance.of(harvester.inputs(texts), Map.of("hook", hook)), listener::log).path();
        listener.log("harvesting " + hook + " of " + modelName + " over " + texts.size() + " texts");
        harvester.run(texts, activations, listener.harvest());
        return activations;
    }

    /** What the run's keys hold about the model and the data: its name, weights, the texts' hash and the seed. */
    RunInputs inputs(TransformerModel model, String modelName, List<LabeledText> data) {
        return new RunInputs(modelName, WeightFingerprint.of(model), Map.of("texts", textsSha256(data)), config.seed());
    }

    static String saeName(int layer, SaeArchitecture architecture, int width) {
        return layer + "-" + architecture.saeLensName() + "-" + width;
    }

    /**
     * The SAE of one layer, recipe and width: read from its folder under {@code work}/saes when it was trained with
     * these settings, else trained on {@code trainRows} (the training split's tokens), splice-evaluated on test texts
     * and saved. Its summary is added to {@code saes}.
     */
    SparseAutoencoder sae(TransformerModel model, TokenSource tokens, String modelName, ProbeExperiment experiment,
                          RunInputs inputs, int layer, SaeArchitecture architecture, int width,
                          java.util.function.Supplier<ActivationRows> trainRows, Path work,
                          List<MosaicResults.SaeSummary> saes) throws IOException {
        SaeTrainingConfig training = trainingConfig(architecture, width);
        // An SAE depends on less than the cells: other probe settings reuse it, other steps do not.
        // The seed counts: it splits the texts, and the SAE trains on the training split.
        Map<String, Object> saeSettings = new LinkedHashMap<>();
        saeSettings.put("hook", config.hook(layer));
        saeSettings.put("context_size", config.contextSize());
        saeSettings.put("splice_texts", config.spliceTexts());
        saeSettings.put("training", training);
        Path folder = RunFolder.keyed(work.resolve("saes"), saeName(layer, architecture, width),
                RunFolder.key("sae", saeSettings, inputs), Provenance.of(inputs, Map.of()), listener::log).path();
        return trainedSae(folder, training, trainRows, model, tokens, modelName, harvestConfig(layer),
                testTexts(experiment), layer, saes);
    }

    private List<Binarization> binarizations() {
        List<Binarization> list = new ArrayList<>();
        list.add(null);
        list.add(Binarization.above(config.threshold()));
        return list;
    }

    /** The pooling as cell keys spell it: "topn" without its n, which the config fixes (keys of cells.jsonl resume). */
    private static String keyLabel(TokenPooling p) {
        return p instanceof TokenPooling.TopNCount ? "topn" : p.name();
    }

    /** A deterministic, class-balanced-enough subset: every step-th text, so that every group stays present. */
    static List<LabeledText> subset(List<LabeledText> all, int max) {
        if (max <= 0 || max >= all.size()) {
            return all;
        }
        int step = (all.size() + max - 1) / max;
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += step) {
            out.add(all.get(i));
        }
        return out;
    }

    private List<String> testTexts(ProbeExperiment experiment) {
        int[] test = experiment.split().test();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(config.spliceTexts(), test.length); i++) {
            out.add(experiment.texts().get(test[i]));
        }
        return out;
    }

    /** The token rows of the training texts only, so that no SAE has seen a test email. */
    static ActivationRows trainingRows(ActivationShards shards, int[] trainTexts) {
        boolean[] isTrain = new boolean[Arrays.stream(trainTexts).max().orElse(-1) + 1];
        for (int t : trainTexts) {
            isTrain[t] = true;
        }
        long[] textIndex = shards.textIndex();
        long count = Arrays.stream(textIndex).filter(t -> t < isTrain.length && isTrain[(int) t]).count();
        int d = shards.dimension();
        float[] rows = new float[Math.toIntExact(count * d)];
        int at = 0;
        for (int r = 0; r < textIndex.length; r++) {
            if (textIndex[r] < isTrain.length && isTrain[(int) textIndex[r]]) {
                shards.copyRow(r, rows, at);
                at += d;
            }
        }
        return ActivationRows.inMemory(rows, d);
    }

    private SaeTrainingConfig trainingConfig(SaeArchitecture architecture, int width) {
        return (architecture == SaeArchitecture.TOPK
                ? SaeTrainingConfig.topK(width, config.k()).withDeadTokenWindow(config.deadTokens())
                : SaeTrainingConfig.standard(width, config.l1()).withL1(config.l1(), Math.max(1, config.steps() / 20)))
                .withSteps(config.steps()).withBatchSize(config.batchSize()).withLearningRate(config.learningRate())
                .withSeed(config.seed()).withLogEvery(Math.max(1, config.steps() / 4));
    }

    /** SHA-256 of the texts with their ids, labels and groups, in order: which data the split and probes saw. */
    private static String textsSha256(List<LabeledText> data) {
        try {
            return Sha256.of(JSON.writeValueAsBytes(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SparseAutoencoder trainedSae(Path folder, SaeTrainingConfig training,
                                         java.util.function.Supplier<ActivationRows> rows,
                                         TransformerModel model, TokenSource tokens, String modelName,
                                         HarvestConfig harvest, List<String> spliceTexts, int layer,
                                         List<MosaicResults.SaeSummary> saes) throws IOException {
        Path saeFolder = folder.resolve("sae");
        Path summaryFile = folder.resolve("summary.json");
        if (Files.exists(summaryFile) && Files.exists(saeFolder.resolve("cfg.json"))) {
            listener.log("reusing SAE " + folder.getFileName());
            saes.add(JSON.readValue(summaryFile.toFile(), MosaicResults.SaeSummary.class));
            return SaeLoader.load(saeFolder);
        }
        listener.log("training SAE " + folder.getFileName() + ": " + training);
        var metadata = new dev.scalpel.interpret.sae.SaeMetadata(modelName, harvest.hookName(), config.contextSize(),
                harvest.prependBos(), harvest.excludeBos());
        SaeTrainingResult result = new SaeTrainer(training, listener.training()).train(rows.get(), metadata);
        SparseAutoencoder sae = result.sae();
        SpliceResult splice = new SpliceEvaluation(model, tokens, harvest).run(sae, spliceTexts);
        MosaicResults.SaeSummary summary = new MosaicResults.SaeSummary(layer, training.architecture().saeLensName(),
                training.dSae(),
                result.evaluation().l0(), result.evaluation().fvu(), result.evaluation().deadFraction(),
                splice.measure().name(), splice.clean(), splice.spliced(), splice.zeroAblated(), splice.recovered(),
                result.seconds(), result.stepsPerSecond());
        listener.log(String.format("SAE %s: L0 %.1f, FVU %.3f, dead %.1f%%, %s %.4f -> %.4f (zeros %.4f), %.1f%% recovered",
                folder.getFileName(), summary.l0(), summary.fvu(), 100 * summary.deadFraction(), summary.spliceMeasure(),
                summary.clean(), summary.spliced(), summary.zeroAblated(), 100 * summary.recovered()));
        // The summary is written last and atomically: its presence says the SAE beside it is whole.
        Folders.deleteRecursively(saeFolder);
        SaeWriter.save(sae, saeFolder);
        AtomicFiles.writeJson(JSON, summaryFile, summary);
        saes.add(summary);
        return sae;
    }

    /** A value made on first use, then kept. */
    static final class Lazy<T> implements java.util.function.Supplier<T> {
        private final java.util.function.Supplier<T> make;
        private T value;

        Lazy(java.util.function.Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }

    private interface ProbeRun {
        ProbeResult run();
    }

    private MosaicResults.Cell cell(Map<String, MosaicResults.Cell> done, Path file, String key, String probe,
                                    Integer layer, String architecture, Integer width, String pooling, String binarize,
                                    ProbeRun run) {
        MosaicResults.Cell cached = done.get(key);
        if (cached != null) {
            return cached;
        }
        ProbeResult r = run.run();
        ClassificationMetrics.GroupAccuracy hard = r.testByGroup().get(dev.scalpel.interpret.data.SpamAssassin.HARD_HAM);
        MosaicResults.Cell c = new MosaicResults.Cell(key, probe, layer, architecture, width, pooling, binarize,
                r.cvMacroF1Mean(), r.cvMacroF1Std(), r.test().macroF1(), r.test().accuracy(),
                hard == null ? Double.NaN : (double) hard.correct() / hard.count(), r.chosenC(), r.meanNonZeros(),
                r.seconds(), MosaicResults.Cell.folds(r.foldMacroF1()));
        listener.log(String.format("%-40s CV macro-F1 %.3f ± %.3f  test macro-F1 %.3f  hard-ham acc %.3f  (C %.0e, %.1f s)",
                key, c.cvMean(), c.cvStd(), c.testMacroF1(), c.hardHamAccuracy(), c.chosenC(), c.seconds()));
        FinishedLines.append(file, c);
        return c;
    }
}
