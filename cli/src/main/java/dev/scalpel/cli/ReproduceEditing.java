package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hparams.HyperparameterOverride;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSession;
import dev.scalpel.edit.data.EditDatasets;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.encore.EncoreAblations;
import dev.scalpel.edit.encore.EncoreClaims;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.run.EditingFacts;
import dev.scalpel.edit.run.EditingReport;
import dev.scalpel.edit.run.LabProbe;
import dev.scalpel.edit.run.PreservationSweep;
import dev.scalpel.edit.run.SequentialConfig;
import dev.scalpel.edit.run.SequentialEditRun;
import dev.scalpel.edit.run.ValidationTuning;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel reproduce editing}: sequential editing of the lab's facts, every method on the same sample of test
 * facts per seed, the preservation strength optionally chosen on validation facts first, and the ENCORE paper's claims
 * judged over the seeds.
 */
@Command(name = "editing", description = {
    "Sequential editing of lab facts with MEMIT, AlphaEdit and ENCORE (same facts, same order), with every metric,",
    "the norm-growth and drift diagnostics, and seconds per edit; checks the ENCORE paper's claims over seeds.",
    "Resumable. The report and claims.md go to --report (default docs/reproductions/editing)."})
final class ReproduceEditing implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "lab-lm", description = "default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--edits", defaultValue = "1000",
            description = "edits in all, a multiple of --batch-size (default ${DEFAULT-VALUE})")
    int edits;

    @Option(names = "--batch-size", defaultValue = "100", description = "edits per batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", description = {
        "one run per method per seed, each seed a different sample of the test facts; claims.md gives means with 95%%",
        "intervals and calls a claim reproduced only beyond the seed-to-seed noise (default ${DEFAULT-VALUE})"})
    List<Long> seeds;

    @Option(names = "--lambda-ratios", split = ",", paramLabel = "D_FF_OVER_LAMBDA", description = {
        "choose the preservation strength on validation facts first: one MEMIT run per candidate d_ff / lambda (the",
        "papers run at 0.32 and 0.96), the highest S wins and MEMIT, ENCORE and the ablations take it; without it",
        "the hyperparameter files' lambda is used", "e.g. 0.32,0.96,2.5,7"})
    List<Double> lambdaRatios;

    @Option(names = "--tune", paramLabel = "METHOD:KEY=V1|V2|...", description = {
        "choose a method's hyperparameters on validation facts first: one run per combination of the values given",
        "(the product over keys, the keys of hparams/METHOD/*.json), the highest S wins, the first value on a tie;",
        "repeatable", "e.g. 'ft:normConstraint=5e-4|2e-3|8e-3' 'lora:steps=10|30'"})
    List<String> tune = List.of();

    @Option(names = "--validation-edits", paramLabel = "N", description = {
        "sequential edits of validation facts per candidate of --lambda-ratios and --tune (default: --edits, at most",
        "the validation facts there are, in whole batches)"})
    Integer validationEdits;

    @Option(names = "--tiny", description = "the tiny lab profile (smoke test)")
    boolean tiny;

    @Option(names = "--methods", split = ",", defaultValue = "memit,alphaedit,encore", description = {
        "edit methods (rome, memit, alphaedit, encore, ft, lora) and ENCORE's ablations: memit+mpes (MEMIT with ENCORE's early",
        "stopping), memit+norm (ENCORE's norm term without it), derived from the model's MEMIT and ENCORE files",
        "(default ${DEFAULT-VALUE})"})
    List<String> methods;

    @Option(names = "--timing", paramLabel = "BENCH_RESULTS", description = {"a `./scalpel bench --only editing` "
            + "results.json whose side-by-side MEMIT and ENCORE seconds per edit on the --model's shape judge the time "
            + "claim (without it the claim is not judged: the runs' own batch times ran under unequal load)",
        "e.g. docs/benchmarks/results.json"})
    Path timing;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--work", description = "run folders and caches (default reproductions/editing in the Scalpel home)")
    Path work = ScalpelHome.fromEnvironment().reproductions("editing");

    /** What every run of this reproduction shares: the model, the lab's probes, the C0 corpus and cache. */
    private record Setup(String modelName, Path modelFolder, LabCorpus lab, Corpus c0, Path cache, PrintWriter console) {
    }

    @Override
    public Integer call() throws IOException {
        requireValidArguments();
        PrintWriter console = spec.commandLine().getOut();
        LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
        String modelName = tiny && model.equals("lab-lm") ? "lab-lm-tiny" : model;
        Path modelFolder = ModelArgument.resolve(modelName);
        LabCorpus lab = LabCorpus.build(LabSpec.SEED, profile.corpus());
        Path requestsFile = LabData.corpusFolder(LabHome.fromEnvironment(), profile, LabSpec.SEED)
                .resolve("facts/counterfact.json");
        List<EditRequest> all = EditDatasets.read(requestsFile);
        Corpus c0 = Corpus.of("lab-prose", lab.prose().passages().train().stream().map(p -> p.text()).toList());
        Setup setup = new Setup(modelName, modelFolder, lab, c0, work.resolve("cache"), console);
        EditingFacts facts = EditingFacts.split(all, validationFacts(all.size()), requestsFile.toString());
        if (edits > facts.test().size()) {
            throw new ScalpelException(requestsFile + ": --edits " + edits + " needs that many test facts; the file "
                    + "holds " + all.size() + ", of which " + facts.validation().size() + " are kept for validation");
        }
        Optional<PreservationSweep.Choice> lambda = lambdaRatios == null ? Optional.empty()
                : Optional.of(chooseLambda(setup, facts));
        Map<String, List<ValidationTuning.Axis>> tuning = tuningAxes();
        Map<String, ValidationTuning.Choice> tuned = new LinkedHashMap<>();
        Map<String, List<SequentialEditRun.Results>> bySeed = new LinkedHashMap<>();
        for (String name : methods) {
            EditHyperparameters hp;
            if (tuning.containsKey(name)) {
                ValidationTuning.Choice choice = tune(setup, facts, name, tuning.get(name), lambda);
                tuned.put(name, choice);
                hp = choice.chosen().hyperparameters();
            } else {
                hp = withChosenLambda(hyperparameters(name, modelName, modelFolder, List.of()), lambda);
            }
            for (long seed : seeds) {
                // Each seed edits its own sample of the test facts; every method edits the same sample per seed.
                String requests = "lab test facts (counterfact.json less " + facts.validation().size()
                        + " validation facts), sample of " + edits + " with seed " + seed;
                Path folder = work.resolve(tiny ? "runs-tiny" : "runs").resolve(name).resolve("seed-" + seed);
                bySeed.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(run(setup, hp, facts.testSample(edits, seed), seed, folder, requests));
            }
        }
        Path folder = output.folder(Path.of("docs", "reproductions", "editing"));
        Optional<EncoreClaims.Timing> sideBySide = timing == null ? Optional.empty()
                : EncoreClaims.Timing.fromBenchResults(timing, model);
        if (timing != null && sideBySide.isEmpty()) {
            console.println("warning: " + timing + " has no MEMIT and ENCORE seconds per edit for " + model
                    + "; the time claim is not judged");
        }
        String claims = EncoreClaims.markdown(bySeed, sideBySide);
        if (lambda.isPresent()) {
            // The choice comes first: every reported run depends on it.
            int body = claims.indexOf("\n\n") + 2;
            claims = claims.substring(0, body) + lambda.get().markdown() + claims.substring(body);
        }
        if (!tuned.isEmpty()) {
            int body = claims.indexOf("\n\n") + 2;
            String sections = tuned.values().stream().map(ValidationTuning.Choice::markdown)
                    .collect(java.util.stream.Collectors.joining());
            claims = claims.substring(0, body) + sections + claims.substring(body);
        }
        console.println(claims);
        AtomicFiles.writeString(folder.resolve("claims.md"), claims);
        // The charts follow the first seed's runs; claims.md and results.json hold every seed.
        List<SequentialEditRun.Results> firstSeed = bySeed.values().stream().map(List::getFirst).toList();
        Map<String, Object> results = new LinkedHashMap<>();
        lambda.ifPresent(c -> results.put("preservation_choice", c));
        if (!tuned.isEmpty()) {
            results.put("validation_tuning", tuned);
        }
        results.put("runs", bySeed);
        output.emit(console, EditingReport.of(firstSeed), results, folder);
        return 0;
    }

    /** Everything that can be checked before a model is loaded or a fact edited. */
    private void requireValidArguments() {
        // The run is T batches of n edits (the paper's design): a count that is not n x T would be silently cut or
        // padded, and the report would describe another experiment.
        if (batchSize <= 0 || edits <= 0 || edits % batchSize != 0) {
            throw new ScalpelException("--edits (" + edits + ") must be a positive multiple of --batch-size ("
                    + batchSize + ")");
        }
        for (String name : methods) {
            if (!EncoreAblations.isAblation(name)) {
                try {
                    EditMethod.parse(name);
                } catch (IllegalArgumentException e) {
                    throw new ScalpelException("--methods: " + e.getMessage() + " or an ablation of ENCORE "
                            + EncoreAblations.NAMES);
                }
            }
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new ScalpelException("--seeds must name distinct seeds, got " + seeds);
        }
        if (lambdaRatios != null && (lambdaRatios.isEmpty() || lambdaRatios.stream().anyMatch(r -> !(r > 0)))) {
            throw new ScalpelException("--lambda-ratios takes positive d_ff / lambda values, got " + lambdaRatios);
        }
        for (String method : tuningAxes().keySet()) {
            if (!methods.contains(method) || EncoreAblations.isAblation(method)) {
                throw new ScalpelException("--tune " + method + ": tunes only a method of --methods " + methods
                        + " (not an ablation, which takes MEMIT's and ENCORE's files)");
            }
        }
        if (validationEdits != null && (validationEdits <= 0 || validationEdits % batchSize != 0)) {
            throw new ScalpelException("--validation-edits (" + validationEdits + ") must be a positive multiple of"
                    + " --batch-size (" + batchSize + ")");
        }
    }

    private Map<String, List<ValidationTuning.Axis>> tuningAxes() {
        return ValidationTuning.byMethod(tune.stream().map(ValidationTuning.Axis::parse).toList());
    }

    /** The validation facts every candidate of a choice edits (seed 0's sample, the same for every candidate). */
    private List<EditRequest> validationSample(EditingFacts facts) {
        int available = facts.validation().size() / batchSize * batchSize;
        int n = Math.min(validationEdits == null ? edits : validationEdits, available);
        if (n == 0) {
            throw new ScalpelException("the " + facts.validation().size() + " validation facts are fewer than one batch of "
                    + batchSize);
        }
        return facts.validationSample(n, 0);
    }

    /**
     * One run on validation facts per candidate of {@code method}'s grid (each its hyperparameter file with the
     * candidate's overrides, and the chosen lambda where the method has one), and the choice.
     */
    private ValidationTuning.Choice tune(Setup setup, EditingFacts facts, String method, List<ValidationTuning.Axis> axes,
                                         Optional<PreservationSweep.Choice> lambda) {
        List<EditRequest> sample = validationSample(facts);
        List<ValidationTuning.Candidate> candidates = new ArrayList<>();
        for (var overrides : ValidationTuning.grid(axes)) {
            String label = ValidationTuning.label(overrides);
            setup.console().println("validation: " + method + " with " + label);
            EditHyperparameters hp = withChosenLambda(hyperparameters(method, setup.modelName(), setup.modelFolder(),
                    overrides), lambda);
            Path folder = work.resolve(tiny ? "runs-tiny" : "runs").resolve("tune-validation").resolve(method)
                    .resolve(label.replaceAll("[^A-Za-z0-9.=_-]+", "_"));
            var run = run(setup, hp, sample, 0, folder, "lab validation facts, sample of " + sample.size()
                    + " with seed 0");
            candidates.add(new ValidationTuning.Candidate(label, hp, run));
        }
        var choice = ValidationTuning.choose(method, candidates);
        setup.console().println("chosen on validation facts for " + method + ": " + choice.chosen().label());
        return choice;
    }

    private static EditHyperparameters withChosenLambda(EditHyperparameters hp, Optional<PreservationSweep.Choice> lambda) {
        return lambda.map(c -> PreservationSweep.withLambda(hp, c.chosen().lambda())).orElse(hp);
    }

    /** One MEMIT run on validation facts per candidate d_ff / lambda (seed 0's sample), and the choice. */
    private PreservationSweep.Choice chooseLambda(Setup setup, EditingFacts facts) {
        List<EditRequest> sample = validationSample(facts);
        int n = sample.size();
        var memit = hyperparameters("memit", setup.modelName(), setup.modelFolder(), List.of());
        int dff = EditCommand.configOf(setup.modelFolder()).intermediateSize();
        List<PreservationSweep.Candidate> candidates = new ArrayList<>();
        for (double ratio : lambdaRatios) {
            double lambda = PreservationSweep.lambdaFor(ratio, dff);
            setup.console().println(String.format(Locale.ROOT, "validation: MEMIT at d_ff / lambda = %.2f (lambda %.1f)",
                    ratio, lambda));
            Path folder = work.resolve(tiny ? "runs-tiny" : "runs").resolve("lambda-validation")
                    .resolve(String.format(Locale.ROOT, "ratio-%.4f", ratio));
            var run = run(setup, PreservationSweep.withLambda(memit, lambda), sample, 0, folder,
                    "lab validation facts, sample of " + n + " with seed 0");
            candidates.add(new PreservationSweep.Candidate(ratio, lambda, run));
        }
        var choice = PreservationSweep.choose(candidates);
        setup.console().println(String.format(Locale.ROOT, "chosen on validation facts: d_ff / lambda = %.2f (lambda %.1f)",
                choice.chosen().ratio(), choice.chosen().lambda()));
        return choice;
    }

    /** One sequential run from the unedited model (a session per run; C0 comes from the cache after the first). */
    private SequentialEditRun.Results run(Setup setup, EditHyperparameters hp, List<EditRequest> facts, long seed,
                                          Path folder, String requests) {
        try (EditSession session = EditSession.open(setup.modelFolder(), hp, setup.c0(), setup.cache(), 0,
                setup.console()::println)) {
            var ctx = session.context();
            LabProbe probe = new LabProbe(setup.lab(), ctx.tokenizer(), ctx.padId(), ctx.padId(), true, 16 * 128, 40);
            ActivationProbe activations = new ActivationProbe(ctx.model(), EditCommand.probeWindows(ctx.tokenizer(), setup.lab()), 8);
            SequentialConfig config = new SequentialConfig(hp, batchSize, facts.size() / batchSize, batchSize,
                    tiny ? 2 : 20, seed);
            RunInputs inputs = new RunInputs(model, session.fingerprint(), Map.of("c0_corpus", setup.c0().hash()), seed);
            return new SequentialEditRun(ctx, config, probe, activations, folder, setup.console()::println)
                    .run(facts, inputs, Map.of("requests", requests, "c0_corpus", setup.c0().name()));
        }
    }

    /**
     * Facts held out for choosing hyperparameters (never reported): a third of the file, at most 1,000 (lab-lm's
     * 3,201 facts leave 2,201 test facts for the seeds' samples).
     */
    static int validationFacts(int facts) {
        return Math.min(1000, facts / 3);
    }

    /** A method's shipped hyperparameters for the model, or an ablation derived from MEMIT's and ENCORE's. */
    private static EditHyperparameters hyperparameters(String name, String modelName, Path modelFolder,
                                                       List<HyperparameterOverride> overrides) {
        var config = EditCommand.configOf(modelFolder);
        if (!EncoreAblations.isAblation(name)) {
            return EditHyperparameterFiles.forModel(EditMethod.parse(name), modelName, config, null, overrides);
        }
        var memit = (MemitHyperparameters) EditHyperparameterFiles.forModel(EditMethod.MEMIT, modelName, config, null,
                List.of());
        var encore = (EncoreHyperparameters) EditHyperparameterFiles.forModel(EditMethod.ENCORE, modelName, config,
                null, List.of());
        return EncoreAblations.of(name, memit, encore, "the MEMIT and ENCORE hyperparameter files for " + modelName);
    }
}
