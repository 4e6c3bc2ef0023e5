package dev.scalpel.lab.build;

import dev.scalpel.core.eval.Perplexity;
import dev.scalpel.core.train.PackedBatches;
import dev.scalpel.core.io.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.MaskedDiffusionSampler;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.report.HtmlRenderer;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportJson;
import dev.scalpel.core.report.ReportFolder;
import dev.scalpel.core.report.Series;
import dev.scalpel.core.train.MaskedDiffusionObjective;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.Trainer;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.run.RunKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import dev.scalpel.lab.corpus.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a lab model end to end: data, training (resumed if a run was interrupted), the final Hugging Face folder,
 * its evaluation, a report with training curves, and the manifest. A model already built is reused unless forced.
 */
public final class LabBuilder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LabHome home;
    private final boolean quiet;
    private final ShippedModels shipped;

    public LabBuilder(LabHome home, boolean quiet) {
        this(home, quiet, ShippedModels.of(home));
    }

    public LabBuilder(LabHome home, boolean quiet, ShippedModels shipped) {
        this.home = home;
        this.quiet = quiet;
        this.shipped = shipped;
    }

    /** Whether {@code name} can be used: built here with the current recipe, or (default profile) shipped. */
    public boolean isAvailable(String name, LabProfile profile) {
        return isBuilt(name, profile) || (profile == LabProfile.DEFAULT && shipped.ships(name));
    }

    /**
     * The Hugging Face folder commands use for {@code name}: the user's own build when there is one with the current
     * recipe, else the shipped model (default profile), else an error saying how to build it.
     */
    public Path resolve(String name, LabProfile profile) {
        if (isBuilt(name, profile)) {
            return modelFolder(name, profile);
        }
        if (profile == LabProfile.DEFAULT) {
            var folder = shipped.folder(name);
            if (folder.isPresent()) {
                return folder.get().resolve("model");
            }
        }
        throw notBuilt(name, profile);
    }

    /** The manifest of the model {@link #resolve} gives: the user's build's, or the shipped model's build. */
    public LabManifest resolvedManifest(String name, LabProfile profile) {
        if (isBuilt(name, profile)) {
            return readManifest(home.model(name, profile));
        }
        if (profile == LabProfile.DEFAULT && shipped.ships(name)) {
            return shipped.manifest(name).orElseThrow().build();
        }
        throw notBuilt(name, profile);
    }

    private static ScalpelException notBuilt(String name, LabProfile profile) {
        return new ScalpelException(name + " is not built yet: run ./scalpel lab build " + name
                + (profile == LabProfile.TINY ? " --tiny" : ""));
    }

    /** Whether {@link #resolve} gives the shipped model. */
    public boolean usesShipped(String name, LabProfile profile) {
        return !isBuilt(name, profile) && profile == LabProfile.DEFAULT && shipped.ships(name);
    }

    /** The folder holding the report of the model {@link #resolve} gives. */
    public Path resolvedReport(String name, LabProfile profile) {
        return usesShipped(name, profile) ? shipped.folder(name).orElseThrow().resolve("report")
                : home.model(name, profile).resolve("report");
    }

    /**
     * Whether {@code name} is built with {@code profile}'s current recipe. A model built with another recipe (an older
     * Scalpel's) is not: it is rebuilt rather than served as this recipe's model.
     */
    public boolean isBuilt(String name, LabProfile profile) {
        return isBuilt(name, profile, LabSpec.SEED);
    }

    /** The same for a training seed. */
    public boolean isBuilt(String name, LabProfile profile, long seed) {
        return Files.exists(home.model(name, profile, seed).resolve("manifest.json")) && staleness(name, profile, seed).isEmpty();
    }

    /** How the built model's recipe differs from the profile's current one (empty if it does not). */
    private List<String> staleness(String name, LabProfile profile, long seed) {
        LabManifest built = readManifest(home.model(name, profile, seed));
        LabSpec spec = LabSpec.of(name, profile);
        return RunKey.differences(JSON.valueToTree(new Recipe(built.objective(), built.config(), built.training(),
                        built.sequenceLength(), built.batchSize(), built.seed())),
                JSON.valueToTree(new Recipe(spec.objective(), spec.config(), spec.training(), spec.sequenceLength(),
                        spec.batchSize(), seed)));
    }

    /** The part of a build's manifest that is its recipe, compared field by field. */
    private record Recipe(String objective, ObjectNode config, TrainingConfig training, int sequenceLength, int batchSize,
                          long seed) {
    }

    /** Hugging Face folder of a built model. */
    public Path modelFolder(String name, LabProfile profile) {
        return home.model(name, profile).resolve("model");
    }

    /** Builds {@code name} with the default training seed; see {@link #build(String, LabProfile, boolean, long)}. */
    public LabManifest build(String name, LabProfile profile, boolean force) {
        return build(name, profile, force, LabSpec.SEED);
    }

    /**
     * Builds {@code name} trained with {@code seed} (initial weights, order of the training mix, diffusion masks; the
     * data and its splits are the default seed's, so seeds are compared on the same held-out text) unless already
     * built. lab-mdlm's samples are judged by lab-lm: the user's own build if there is one, else the shipped one, else
     * lab-lm is built first.
     */
    public LabManifest build(String name, LabProfile profile, boolean force, long seed) {
        Path folder = home.model(name, profile, seed);
        boolean stale = false;
        if (Files.exists(folder.resolve("manifest.json"))) {
            List<String> differs = staleness(name, profile, seed);
            if (!force && differs.isEmpty()) {
                return readManifest(folder);
            }
            stale = !differs.isEmpty();
            if (stale) {
                progress(folder + " was built with another recipe (" + String.join("; ", differs) + "); rebuilding");
            }
        }
        LabSpec spec = LabSpec.of(name, profile);
        if (spec.objective().equals("mdlm") && !isAvailable("lab-lm", profile)) {
            build("lab-lm", profile, false);
        }
        try (LabData data = LabData.prepare(home, profile, LabSpec.SEED);
             NDManager nd = NDManager.newBaseManager();
             TransformerModel model = Models.initialize(spec.config(), seed, DType.F32, nd)) {
            if (force || stale) {
                dev.scalpel.core.io.Folders.deleteRecursively(folder);
            }
            Files.createDirectories(folder);
            long tokens = spec.training().steps() * spec.training().accumulation() * spec.batchSize() * spec.sequenceLength();
            progress("preparing " + String.format("%,d", tokens) + " training tokens for " + name);
            PackedBatches train = new PackedBatches(data.trainingStream(spec.mix(), seed, tokens), spec.batchSize(),
                    spec.sequenceLength());
            PackedBatches validation = new PackedBatches(data.proseStream(Split.VALIDATION), spec.batchSize(), spec.sequenceLength());
            Objective objective = spec.objective().equals("mdlm")
                    ? new MaskedDiffusionObjective(data.special().maskId(), seed) : Objective.nextToken();
            // The training run is keyed by the whole recipe, the data and the initial weights: an interrupted build
            // resumes only under the same ones; with others it starts in a folder of its own.
            RunInputs inputs = new RunInputs(name, WeightFingerprint.of(model), Map.of("lab_data", data.hash()), seed);
            RunFolder run = RunFolder.keyed(folder, "run", Trainer.key(spec.training(), spec, inputs),
                    Provenance.of(inputs, Map.of("profile", profile.name().toLowerCase())), this::progress);
            Trainer.History history;
            try (ProgressListener listener = new ProgressListener(name, spec.training().steps(), quiet)) {
                history = new Trainer(model, objective, train, validation, spec.training(), run, listener).run();
            }
            Path modelFolder = saveModel(model, data, folder);
            // Recipes are compared on the validation metrics; the test metrics are the report's, scored once per build.
            progress("evaluating " + name + " on the validation split");
            Object validationMetrics = evaluate(model, data, spec, profile, Split.VALIDATION);
            progress("evaluating " + name + " on the test split");
            Object metrics = evaluate(model, data, spec, profile, Split.TEST);
            double tokensPerSecond = history.steps().stream().skip(Math.min(5, history.steps().size() - 1))
                    .mapToDouble(Trainer.StepRecord::tokensPerSecond).average().orElse(0);
            double gemm = gemmGflops();
            long params = model.parameters().count();
            LabManifest manifest = new LabManifest(name, profile.name().toLowerCase(), spec.objective(), params, spec.config(),
                    spec.training(), spec.sequenceLength(), spec.batchSize(), seed, data.hash(),
                    history.steps().isEmpty() ? 0 : history.steps().getLast().tokens(), history.secondsTraining(),
                    tokensPerSecond, gemm, 6.0 * params * tokensPerSecond / (gemm * 1e9), metrics, validationMetrics, codeVersion(),
                    Instant.now().toString());
            writeReport(folder.resolve("report"), manifest, history, data,
                    profile == LabProfile.DEFAULT ? shipped.manifest(name) : java.util.Optional.empty());
            AtomicFiles.writeJson(JSON, folder.resolve("manifest.json"), manifest);
            progress(name + " built: " + modelFolder);
            return manifest;
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot build " + name + ": " + e.getMessage(), e);
        }
    }

    private Path saveModel(TransformerModel model, LabData data, Path folder) throws IOException {
        Path tmp = folder.resolve("model.tmp");
        dev.scalpel.core.io.Folders.deleteRecursively(tmp);
        ModelWriter.save(model, tmp);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(data.tokenizerFolder().resolve(f), tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        var gen = JSON.createObjectNode().put("bos_token_id", data.special().bosId()).put("eos_token_id", data.special().eosId())
                .put("pad_token_id", data.special().padId());
        JSON.writeValue(tmp.resolve("generation_config.json").toFile(), gen);
        Path target = folder.resolve("model");
        dev.scalpel.core.io.Folders.deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    Object evaluate(TransformerModel model, LabData data, LabSpec spec, LabProfile profile, Split split) {
        return spec.objective().equals("mdlm") ? evaluateMdlm(model, data, spec, profile, split)
                : new LmEvaluator(model, data.tokenizer(), data.special().eosId(), data.special().padId())
                        .evaluate(data, split, spec.maxFactsEvaluated(), spec.maxProblemsPerLevel(), spec.sequenceLength());
    }

    private MdlmMetrics evaluateMdlm(TransformerModel model, LabData data, LabSpec spec, LabProfile profile, Split split) {
        int[] heldOut = data.proseStream(split);
        PackedBatches windows = new PackedBatches(heldOut, spec.batchSize(), spec.sequenceLength());
        MaskedDiffusionObjective objective = new MaskedDiffusionObjective(data.special().maskId(), LabSpec.SEED + 1);
        LabSpec.MdlmEvaluation sizes = spec.mdlmEvaluation();
        long batches = Math.max(1, Math.min(windows.windows() / spec.batchSize(), sizes.maxBatches()));
        double bound = Perplexity.of(model, objective, windows, batches);
        int steps = sizes.samplerSteps();
        int length = sizes.sampleLength();
        GenerationRequest unconditional = GenerationRequest.of(Collections.nCopies(sizes.samples(),
                new long[] {data.special().bosId()}), length - 1, Sampling.sample(1, 0, 1, LabSpec.SEED));
        List<long[]> samples = new MaskedDiffusionSampler(model, null, data.special().maskId(), steps)
                .generate(unconditional).sequences();
        List<String> texts = new ArrayList<>();
        Set<Long> distinct = new HashSet<>();
        long bigrams = 0;
        for (long[] s : samples) {
            texts.add(data.tokenizer().decode(s, true));
            for (int i = 1; i < s.length; i++) {
                distinct.add(s[i - 1] * 1_000_003L + s[i]);
                bigrams++;
            }
        }
        double samplePpl = Double.NaN;
        double judgedHeldOut = Double.NaN;
        double judgedWindows = Double.NaN;
        Path lm = isAvailable("lab-lm", profile) ? resolve("lab-lm", profile) : null;
        if (lm != null) {
            try (TransformerModel judge = Models.load(lm)) {
                LmEvaluator e = new LmEvaluator(judge, data.tokenizer(), data.special().eosId(), data.special().padId());
                int[] flat = new int[samples.size() * length];
                for (int b = 0; b < samples.size(); b++) {
                    for (int i = 0; i < length; i++) {
                        flat[b * length + i] = (int) samples.get(b)[i];
                    }
                }
                samplePpl = e.perplexity(flat, length);
                // The same held-out prose in windows of the samples' length: what the samples' perplexity is held to.
                judgedHeldOut = e.perplexity(heldOut, length);
                judgedWindows = Perplexity.of(judge, Objective.nextToken(), windows, batches);
            }
        }
        return new MdlmMetrics(split.fileName(), bound, judgedWindows, texts, samplePpl, judgedHeldOut,
                bigrams == 0 ? 0 : (double) distinct.size() / bigrams, steps);
    }

    /** report/: the report (HTML and JSON), the curve as an SVG file, the manifest, the history and the datasheets. */
    private void writeReport(Path report, LabManifest manifest, Trainer.History history, LabData data,
            java.util.Optional<ShippedManifest> shippedModel) throws IOException {
        Files.createDirectories(report);
        double[] x = history.steps().stream().mapToDouble(Trainer.StepRecord::tokens).toArray();
        double[] y = history.steps().stream().mapToDouble(Trainer.StepRecord::loss).toArray();
        double[] ex = history.evaluations().stream().mapToDouble(Trainer.EvalRecord::tokens).toArray();
        double[] ey = history.evaluations().stream().mapToDouble(Trainer.EvalRecord::loss).toArray();
        LineChart chart = LineChart.linear(manifest.name() + ": training curve", "training tokens",
                manifest.objective().equals("mdlm") ? "negative ELBO per token" : "cross-entropy (nats/token)",
                List.of(Series.of("train", x, y), Series.of("validation (held-out text)", ex, ey)));
        ReportFolder.writeChart(report.resolve("training-curve.svg"), chart);
        AtomicFiles.writeJson(JSON, report.resolve("metrics.json"), manifest);
        AtomicFiles.writeJson(JSON, report.resolve("history.json"), history);
        List<String> datasheets = new ArrayList<>();
        for (String corpus : List.of("text", "facts", "arithmetic", "prose")) {
            Path sheet = data.folder().resolve("corpus").resolve(corpus).resolve("datasheet.md");
            if (Files.exists(sheet)) {
                AtomicFiles.copy(sheet, report.resolve("datasheet-" + corpus + ".md"));
                datasheets.add("datasheet-" + corpus + ".md");
            }
        }
        Report built = LabReport.of(manifest, history, chart, datasheets, shippedModel);
        AtomicFiles.writeString(report.resolve(ReportFolder.HTML), HtmlRenderer.render(built));
        AtomicFiles.writeString(report.resolve(ReportFolder.REPORT_JSON), ReportJson.write(built));
    }

    /** The engine's float32 matrix-multiply rate on 1024 x 1024 products, the denominator of model-FLOPs utilization. */
    static double gemmGflops() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(1024, 1024));
            NDArray b = m.randomNormal(new Shape(1024, 1024));
            double best = 0;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                a.matMul(b).getFloat(0, 0);
                best = Math.max(best, 2.0 * 1024 * 1024 * 1024 / ((System.nanoTime() - t0) / 1e9) / 1e9);
            }
            return best;
        }
    }

    static String codeVersion() {
        String v = LabBuilder.class.getPackage().getImplementationVersion();
        String commit = System.getProperty("scalpel.commit");
        return (v == null ? "development" : v) + (commit == null ? "" : " (" + commit + ")");
    }

    public LabManifest readManifest(Path folder) {
        try {
            return JSON.readValue(folder.resolve("manifest.json").toFile(), LabManifest.class);
        } catch (IOException e) {
            throw new ScalpelException(folder.resolve("manifest.json") + ": unreadable: " + e.getMessage(), e);
        }
    }

    private void progress(String message) {
        if (!quiet) {
            System.err.println(message);
        }
    }
}
