package dev.scalpel.interpret.mosaic;

import dev.scalpel.core.run.FinishedLines;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.eval.ClassificationMetrics;
import dev.scalpel.core.eval.PairedBootstrap;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.probe.Binarization;
import dev.scalpel.interpret.probe.FeatureMatrix;
import dev.scalpel.interpret.probe.LogisticProbe;
import dev.scalpel.interpret.probe.ProbeExperiment;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MOSAIC's transfer claim, tested between models: train a probe on one model's SAE features (and, as the baseline, on
 * its hidden states), then score it on another model's features of the same test texts, against a probe trained on
 * that model's own features.
 *
 * <ol>
 *   <li>The source's SAE and harvest are the MOSAIC grid's own (same keys, so a finished {@code reproduce sae-probing}
 *       run is reused); each target is harvested at the same hook over the same texts.
 *   <li>Each target is read two ways: its residual stream as it is (the paper's setting, where the target is derived
 *       from the source and shares its residual space, so the source's SAE applies unchanged), and through an affine
 *       map to the source's residual stream fitted by ridge regression on the training texts' tokens (for models that
 *       do not share a basis; this is the least a transfer between such models must learn).
 *   <li>For every kind of feature the source probe (C by cross-validation on the source's training split) is scored on
 *       the target's test texts; a probe of the same recipe is trained on the target's own features for comparison.
 *       Differences carry paired bootstrap intervals over the test texts.
 * </ol>
 * Finished blocks (a target read one way) are lines of {@code blocks.jsonl} in a folder keyed by the configuration and
 * the source's inputs; a block is reused only for the same target weights.
 */
public final class MosaicTransfer {
    /** A model the source's probes are carried to. */
    public record Target(String name, TransformerModel model, TokenSource tokens, String relation) {
    }

    /** One kind of feature: the SAE's pooled features (optionally binarized) or the pooled hidden state. */
    record Kind(String label, boolean sae, TokenPooling pooling, Binarization binarization) {
    }

    private final TransferConfig config;
    private final MosaicReproduction.Listener listener;
    private final MosaicReproduction grid;

    public MosaicTransfer(TransferConfig config, MosaicReproduction.Listener listener) {
        this.config = config;
        this.listener = listener;
        this.grid = new MosaicReproduction(config.mosaic(), listener);
    }

    List<Kind> kinds() {
        Binarization b = Binarization.above(config.mosaic().threshold());
        return List.of(new Kind("SAE, sum", true, TokenPooling.SUM, null),
                new Kind("SAE, sum, binarized " + b.describe(), true, TokenPooling.SUM, b),
                new Kind("SAE, max, binarized " + b.describe(), true, TokenPooling.MAX, b),
                new Kind("hidden state, mean (standardized)", false, TokenPooling.MEAN, null),
                new Kind("hidden state, last token (standardized)", false, TokenPooling.LAST, null));
    }

    public TransferResults run(TransformerModel source, TokenSource tokens, String sourceName, List<Target> targets,
                               List<LabeledText> all, Path work) throws IOException {
        long start = System.nanoTime();
        List<LabeledText> data = MosaicReproduction.subset(all, config.mosaic().maxTexts());
        ProbeExperiment experiment = ProbeExperiment.standard(data, config.mosaic().seed());
        List<String> texts = experiment.texts();
        int[] train = experiment.split().train();
        int[] test = experiment.split().test();
        int[] y = experiment.classes().ids();
        int classes = experiment.classes().count();
        int[] truth = Arrays.stream(test).map(i -> y[i]).toArray();
        RunInputs inputs = grid.inputs(source, sourceName, data);
        Path blocksFile = RunFolder.keyed(work.resolve("transfer"), "run",
                RunFolder.key("mosaic-transfer", config, inputs), Provenance.of(inputs, Map.of()), listener::log)
                .resolve("blocks.jsonl");
        Map<String, TransferResults.Block> done = FinishedLines.read(blocksFile, TransferResults.Block.class,
                b -> b.target() + "/" + b.reading());

        Path sourceFolder = grid.harvest(source, tokens, sourceName, config.layer(), texts, work.resolve("activations"),
                "layer-" + config.layer());
        List<MosaicResults.SaeSummary> saes = new ArrayList<>();
        List<TransferResults.Block> blocks = new ArrayList<>();
        try (ActivationShards sourceShards = ActivationShards.open(sourceFolder);
             NDManager manager = NDManager.newBaseManager();
             SparseAutoencoder sae = grid.sae(source, tokens, sourceName, experiment, inputs, config.layer(),
                     config.architecture(), config.width(),
                     () -> MosaicReproduction.trainingRows(sourceShards, train), work, saes)) {
            // The source's probes are made only if some block is missing.
            MosaicReproduction.Lazy<SourceProbes> probes = new MosaicReproduction.Lazy<>(
                    () -> sourceProbes(sourceShards, sae, experiment, manager));
            boolean[] isTrain = marks(train, texts.size());
            boolean[] isTest = marks(test, texts.size());
            for (Target target : targets) {
                if (!target.tokens().fingerprint().equals(tokens.fingerprint())) {
                    throw new ScalpelException(target.name() + " tokenizes the texts unlike " + sourceName
                            + ": their activations of the same tokens cannot be paired");
                }
                String fingerprint = WeightFingerprint.of(target.model());
                List<String> readings = new ArrayList<>();
                if (target.model().config().hiddenSize() == source.config().hiddenSize()) {
                    readings.add("shared");
                }
                readings.add("learned map");
                Path targetFolder = null;
                for (String reading : readings) {
                    String key = target.name() + "/" + reading;
                    TransferResults.Block cached = done.get(key);
                    if (cached != null && cached.targetFingerprint().equals(fingerprint)) {
                        listener.log("reusing " + key);
                        blocks.add(cached);
                        continue;
                    }
                    if (targetFolder == null) {
                        targetFolder = grid.harvest(target.model(), target.tokens(), target.name(), config.layer(),
                                texts, work.resolve("transfer").resolve("activations"),
                                target.name() + "-layer-" + config.layer());
                    }
                    try (ActivationShards targetShards = ActivationShards.open(targetFolder)) {
                        ResidualMap.requirePaired(targetShards, sourceShards);
                        ResidualMap map = reading.equals("shared") ? ResidualMap.identity(sourceShards.dimension())
                                : ResidualMap.fit(targetShards, sourceShards, isTrain, config.ridge(), manager);
                        double fvu = map.fvu(targetShards, sourceShards, isTest, manager);
                        listener.log(String.format(java.util.Locale.ROOT,
                                "%s read %s: %.1f%% of %s's activation variance on the test texts unexplained",
                                target.name(), reading, 100 * fvu, sourceName));
                        TransferResults.Block block = new TransferResults.Block(target.name(), fingerprint,
                                target.relation(), reading, fvu, map.rows(),
                                rows(probes.get(), targetShards, map, sae, experiment, truth, classes, manager));
                        FinishedLines.append(blocksFile, block);
                        blocks.add(block);
                    }
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("examples", data.size());
        summary.put("classes", experiment.classes().names());
        summary.put("train", train.length);
        summary.put("test", test.length);
        return new TransferResults(sourceName, config, saes.getFirst(), summary, majorityMacroF1(y, train, truth, classes),
                blocks, (System.nanoTime() - start) / 1e9);
    }

    /** Each kind's probe fitted on the source's training split, and its test predictions there. */
    private record SourceProbes(Map<String, LogisticProbe.Fitted> fitted, Map<String, int[]> predictions) {
    }

    private SourceProbes sourceProbes(ActivationShards shards, SparseAutoencoder sae, ProbeExperiment experiment,
                                      NDManager manager) {
        listener.log("probing the source's features");
        PooledFeatures saeFeatures = PooledFeatures.ofSae(shards, experiment.texts().size(), sae, 0);
        PooledFeatures hidden = PooledFeatures.ofActivations(shards, experiment.texts().size(), manager);
        Map<String, LogisticProbe.Fitted> fitted = new LinkedHashMap<>();
        Map<String, int[]> predictions = new LinkedHashMap<>();
        for (Kind kind : kinds()) {
            FeatureMatrix x = (kind.sae() ? saeFeatures : hidden).matrix(kind.pooling(), kind.binarization());
            LogisticProbe.Fitted f = fit(kind, x, experiment);
            fitted.put(kind.label(), f);
            predictions.put(kind.label(), f.predict(x, experiment.split().test()));
        }
        return new SourceProbes(fitted, predictions);
    }

    private List<TransferResults.Row> rows(SourceProbes source, ActivationShards targetShards, ResidualMap map,
                                           SparseAutoencoder sae, ProbeExperiment experiment, int[] truth, int classes,
                                           NDManager manager) {
        int n = experiment.texts().size();
        PooledFeatures saeFeatures = PooledFeatures.ofMappedSae(targetShards, n, map, sae, 0);
        PooledFeatures hidden = PooledFeatures.ofMappedActivations(targetShards, n, map, manager);
        int[] test = experiment.split().test();
        List<TransferResults.Row> rows = new ArrayList<>();
        long seed = config.mosaic().seed();
        for (Kind kind : kinds()) {
            FeatureMatrix x = (kind.sae() ? saeFeatures : hidden).matrix(kind.pooling(), kind.binarization());
            int[] transferred = source.fitted().get(kind.label()).predict(x, test);
            int[] own = fit(kind, x, experiment).predict(x, test);
            int[] atSource = source.predictions().get(kind.label());
            TransferResults.Row row = new TransferResults.Row(kind.label(), kind.sae(),
                    ClassificationMetrics.macroF1(truth, atSource, classes),
                    ClassificationMetrics.macroF1(truth, own, classes),
                    ClassificationMetrics.macroF1(truth, transferred, classes),
                    PairedBootstrap.of(truth, transferred, own, (t, p) -> ClassificationMetrics.macroF1(t, p, classes),
                            config.resamples(), 0.95, seed),
                    PairedBootstrap.of(truth, transferred, atSource, (t, p) -> ClassificationMetrics.macroF1(t, p, classes),
                            config.resamples(), 0.95, seed));
            listener.log(String.format(java.util.Locale.ROOT, "  %-42s source %.3f  target's own %.3f  transferred %.3f"
                    + "  (transferred - own %s points)", kind.label(), row.sourceMacroF1(), row.nativeMacroF1(),
                    row.transferMacroF1(), row.transferMinusNative().formatPoints()));
            rows.add(row);
        }
        return rows;
    }

    /** The grid's probe recipe: C by cross-validation on the training split; hidden states standardized. */
    private static LogisticProbe.Fitted fit(Kind kind, FeatureMatrix x, ProbeExperiment experiment) {
        LogisticProbe probe = new LogisticProbe(LogisticProbe.Config.defaults());
        if (!kind.sae()) {
            probe = probe.standardizing();
        }
        int[] y = experiment.classes().ids();
        int classes = experiment.classes().count();
        LogisticProbe.Selection selection = probe.select(x, y, classes, experiment.folds());
        return probe.fit(x, y, classes, experiment.split().train(), selection.bestC());
    }

    static double majorityMacroF1(int[] y, int[] train, int[] truth, int classes) {
        int[] counts = new int[classes];
        for (int i : train) {
            counts[y[i]]++;
        }
        int majority = 0;
        for (int c = 1; c < classes; c++) {
            majority = counts[c] > counts[majority] ? c : majority;
        }
        int[] constant = new int[truth.length];
        Arrays.fill(constant, majority);
        return ClassificationMetrics.macroF1(truth, constant, classes);
    }

    private static boolean[] marks(int[] indices, int size) {
        boolean[] marked = new boolean[size];
        for (int i : indices) {
            marked[i] = true;
        }
        return marked;
    }
}
