package dev.scalpel.cli;

import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSession;
import dev.scalpel.edit.data.EditDatasets;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.run.EditingReport;
import dev.scalpel.edit.run.LabProbe;
import dev.scalpel.edit.run.SequentialConfig;
import dev.scalpel.edit.run.SequentialEditRun;
import dev.scalpel.edit.run.SequentialRecords;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel edit --method {rome,memit,alphaedit,encore,ft,lora} --model DIR --requests FILE [--batch-size n --batches T]
 * --out DIR [--report DIR] [--json] [--hparams NAME|FILE] [--hparam KEY=VALUE]...}: sequential knowledge editing
 * with every metric and diagnostic after each batch; the hyperparameters come from hparams/METHOD/MODEL.json unless named.
 */
@Command(name = "edit", description = {
    "Edit facts into a causal LM: ROME, MEMIT, AlphaEdit or ENCORE, sequentially in batches, resumable.",
    "Requests are CounterFact or zsRE JSON (the lab writes its facts as counterfact.json). The edited model is",
    "exported to OUT/model; the report (report.html, report.json, results.json) goes to --report (default: OUT)."})
final class EditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true,
            description = "rome, memit, alphaedit, encore, ft (fine-tuning: FT-L, or FT-M with loss=TARGET_NEW) or lora")
    String method;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a causal LM (folder, org/name, lab-lm)")
    String model;

    @Option(names = "--requests", required = true, paramLabel = "FILE", description = "CounterFact or zsRE JSON")
    Path requests;

    @Option(names = "--batch-size", defaultValue = "1", description = "edits per batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--batches", description = "number of batches (default: as many as the file allows)")
    Integer batches;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder (checkpoints, results, edited model)")
    Path out;

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--c0-corpus", paramLabel = "FILE_OR_DIR", description = "text for C0, read as documents: each .txt file is one "
            + "document, each line of a .jsonl(.gz) one document (its \"text\" field); a folder is read recursively in "
            + "path order (default: the lab's training prose)")
    Path corpus;

    @Option(names = "--evaluate-every", description = "evaluate every N edits (default: every batch)")
    Integer evaluateEvery;

    @Option(names = "--ge-edits", defaultValue = "50", description = "edits whose generation prompts measure GE (default ${DEFAULT-VALUE}; 0: skip)")
    int geEdits;

    @Mixin
    HyperparameterOptions hparams = new HyperparameterOptions();

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        EditMethod m = EditMethod.parse(method);
        List<EditRequest> all = EditDatasets.read(requests);
        if (all.isEmpty()) {
            throw new ScalpelException(requests + ": no edit requests");
        }
        int t = batches != null ? batches : all.size() / batchSize;
        if (t < 1) {
            throw new ScalpelException(requests + ": " + all.size() + " requests are fewer than one batch of " + batchSize);
        }
        LabCorpus lab = LabCorpus.build(LabSpec.SEED, Profile.DEFAULT);
        Corpus c0 = corpus != null ? Corpus.read(corpus, Corpus.Reading.documents())
                : Corpus.of("lab-prose", lab.prose().passages().train().stream().map(p -> p.text()).toList());
        Path modelFolder = ModelArgument.resolve(model);
        EditHyperparameters hp = EditHyperparameterFiles.forModel(m, model, configOf(modelFolder), hparams.file,
                hparams.parsed());
        run(console, hp, all, t, modelFolder, c0, lab);
        return 0;
    }

    private void run(PrintWriter console, EditHyperparameters hp, List<EditRequest> all, int t, Path modelFolder,
                     Corpus c0, LabCorpus lab) throws IOException {
        Path cache = ScalpelHome.fromEnvironment().edit();
        try (EditSession session = EditSession.open(modelFolder, hp, c0, cache, seed, console::println)) {
            var ctx = session.context();
            boolean labModel = model.startsWith("lab-");
            LabProbe probe = new LabProbe(lab, ctx.tokenizer(), ctx.padId(), ctx.padId(), labModel, 16 * 128, 40);
            ActivationProbe activations = new ActivationProbe(ctx.model(), probeWindows(ctx.tokenizer(), lab), 8);
            SequentialConfig config = new SequentialConfig(hp, batchSize, t, evaluateEvery != null ? evaluateEvery : batchSize,
                    geEdits, seed);
            RunInputs inputs = new RunInputs(modelFolder.toString(), session.fingerprint(), Map.of("c0_corpus", c0.hash()), seed);
            Map<String, String> details = Map.of("requests", requests.toString(), "c0_corpus", c0.name(),
                    "context_templates", String.join(" | ", ctx.contextTemplates()));
            SequentialEditRun run = new SequentialEditRun(ctx, config, probe, activations, out, console::println);
            SequentialEditRun.Results results = run.run(all, inputs, details);
            run.export(out.resolve("model"));
            console.printf("edited model: %s%n", out.resolve("model"));
            output.emit(console, EditingReport.of(List.of(results)), EditingReport.results(List.of(results)), out);
        }
    }

    static dev.scalpel.core.model.ModelConfig configOf(Path folder) {
        return dev.scalpel.core.model.ModelConfigs.read(dev.scalpel.core.model.HfConfig.read(folder.resolve("config.json")));
    }

    static long[][] probeWindows(dev.scalpel.core.text.Tokenizer tokenizer, LabCorpus lab) {
        List<long[]> rows = new ArrayList<>();
        for (var d : lab.text().documents().validation()) {
            long[] ids = tokenizer.encode(d.text());
            if (ids.length >= 24) {
                rows.add(Arrays.copyOf(ids, 24));
            }
            if (rows.size() == 32) {
                break;
            }
        }
        return rows.toArray(long[][]::new);
    }
}
