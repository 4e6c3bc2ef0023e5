package dev.scalpel.edit.run;

import dev.scalpel.core.adapter.PeftFormat;
import dev.scalpel.core.io.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.diagnostics.ActivationProbe;
import dev.scalpel.edit.diagnostics.MatrixDiagnostics;
import dev.scalpel.edit.metrics.EditEvaluator;
import dev.scalpel.edit.metrics.EditMetrics;
import dev.scalpel.edit.metrics.NeighborBaseline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A sequential editing run: batches applied one after another, with every metric and diagnostic recorded, and a
 * checkpoint after every batch (the edited layers' matrices, the editor's memory, the records), so that a run killed
 * mid-way and started again with the same folder continues where it stopped and ends with the same results. The folder
 * is a {@link RunFolder} keyed by the configuration, the starting weights, the requests, the C0 corpus and the seed.
 */
public final class SequentialEditRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The unedited model's neighborhood continuations, beside run.json. */
    static final String BASELINE_FILE = "neighbor-baseline.json";

    private final EditContext context;
    private final SequentialConfig config;
    private final DownstreamProbe downstream;
    private final ActivationProbe activations;
    private final Path folder;
    private final Consumer<String> progress;

    public SequentialEditRun(EditContext context, SequentialConfig config, DownstreamProbe downstream,
                             ActivationProbe activations, Path folder, Consumer<String> progress) {
        this.context = context;
        this.config = config;
        this.downstream = downstream;
        this.activations = activations;
        this.folder = folder;
        this.progress = progress;
    }

    /** Everything the run measured, in order; results.json holds the same. */
    /** The provenance detail holding the edited model's MLP width d_ff. */
    public static final String INTERMEDIATE_SIZE = "intermediate_size";
    /** The provenance details' prefix (then the layer) of C0's mean eigenvalue tr(C0) / d_ff. */
    public static final String C0_MEAN_EIGENVALUE = "c0_mean_eigenvalue.layer_";
    /** Provenance detail: the edited matrix's Frobenius norm before the first edit, per edited layer. */
    public static final String STARTING_NORM = "starting_norm.layer_";

    private static double trace(Matrix m) {
        double t = 0;
        for (int i = 0; i < m.rows(); i++) {
            t += m.get(i, i);
        }
        return t;
    }

    /**
     * @param unedited the unedited model's CounterFact metrics on all the run's facts, with the same probes and GE
     *     edits as every later evaluation: the baseline the edited model's NS, GE and scores are read against (null in
     *     runs from before it was kept)
     */
    public record Results(String method, SequentialConfig config, Provenance provenance,
                          List<SequentialRecords.Batch> batches, List<SequentialRecords.Evaluation> evaluations,
                          EditMetrics unedited) {
    }

    /**
     * Runs (or resumes) the edits.
     *
     * @param inputs the unedited model's name and fingerprint, the hashes of data the editor read (its C0 corpus) and the
     *     run's seed; the requests' hash is added here
     * @param details what a reader of the results needs besides (which request file, which corpus)
     */
    public Results run(List<EditRequest> requests, RunInputs inputs, Map<String, String> details) {
        if (requests.size() < config.totalEdits()) {
            throw new ScalpelException("the run needs " + config.totalEdits() + " edits but the dataset has " + requests.size());
        }
        if (inputs.seed() != config.seed()) {
            throw new IllegalArgumentException("the inputs' seed " + inputs.seed() + " is not the run's " + config.seed());
        }
        Editor editor = config.hyperparameters().editor(context);
        Map<Integer, Matrix> original = new LinkedHashMap<>();
        for (int layer : context.site().layers()) {
            original.put(layer, context.site().read(context.model(), layer));
        }
        RunInputs all = inputs.withData("requests", requestsSha256(requests.subList(0, config.totalEdits())));
        // d_ff states the preservation strength scale-free (d_ff / lambda) in the report; provenance, not key.
        Map<String, String> described = new LinkedHashMap<>(details);
        described.put(INTERMEDIATE_SIZE, Integer.toString(context.model().config().intermediateSize()));
        // tr(C0) / d_ff: C0's mean eigenvalue, what lambda_n I is weighed against (the key scale of the C0 corpus).
        context.secondMoments().forEach((layer, c0) -> described.put(C0_MEAN_EIGENVALUE + layer,
                Double.toString(trace(c0) / c0.rows())));
        // ||W_0||, so that the norm-growth finding (||W_T|| against ||W_0||) can be read from the results alone.
        original.forEach((layer, w) -> described.put(STARTING_NORM + layer, Double.toString(w.norm())));
        Provenance provenance = Provenance.of(all, described);
        ObjectNode key = RunFolder.key("sequential-edit", config, all);
        // The caller's fingerprint names the model it loaded; the edited layers' own hash catches a model changed since.
        key.put("starting_layers", fingerprint(original));
        RunFolder run = RunFolder.open(folder, key, provenance);
        List<SequentialRecords.Batch> batches = new ArrayList<>();
        List<SequentialRecords.Evaluation> evaluations = new ArrayList<>();
        Resumed resumed = resume(run, editor, batches, evaluations);
        int start = resumed.batchesDone();
        EditMetrics unedited = resumed.unedited();
        EditEvaluator evaluator = new EditEvaluator(context.model(), context.tokenizer(), context.padId());
        NeighborBaseline baseline = neighborBaseline(run, evaluator, requests, start);
        if (start == 0 && evaluations.isEmpty()) {
            evaluations.add(evaluate(evaluator, List.of(), List.of(), 0, baseline));
            List<EditRequest> facts = requests.subList(0, config.totalEdits());
            unedited = evaluator.counterFact(facts, Math.min(config.generationEdits(), facts.size()), config.seed(),
                    baseline);
            progress.accept(String.format("  unedited: ES %.1f PS %.1f NS %.1f S %.1f GE %.0f on the run's %d facts",
                    unedited.efficacy(), unedited.paraphrase(), unedited.neighborhood(), unedited.score(),
                    unedited.generationEntropy(), facts.size()));
        }
        for (int b = start; b < config.batches(); b++) {
            List<EditRequest> batch = requests.subList(b * config.batchSize(), (b + 1) * config.batchSize());
            Editor.BatchResult outcome = editor.apply(batch);
            if (editor.lastAdapter() != null) {   // LoRA: each batch's adapter, in PEFT's format, beside the run's state
                PeftFormat.write(editor.lastAdapter(), context.model(), inputs.model(),
                        run.resolve(String.format("adapters/batch-%04d", b + 1)));
            }
            Map<Integer, MatrixDiagnostics> diagnostics = new LinkedHashMap<>();
            for (int layer : context.site().layers()) {
                diagnostics.put(layer, MatrixDiagnostics.of(context.site().read(context.model(), layer), original.get(layer)));
            }
            int done = (b + 1) * config.batchSize();
            batches.add(new SequentialRecords.Batch(b, done, outcome.seconds(), outcome.seconds() / batch.size(),
                    outcome.valueIterations().stream().mapToInt(Integer::intValue).average().orElse(0), outcome.deltaNorms(),
                    diagnostics, outcome.meanSquaredKeyNorms()));
            progress.accept(String.format("%s: batch %d/%d, %d edits, %.2f s per edit", editor.name(), b + 1, config.batches(),
                    done, outcome.seconds() / batch.size()));
            if (done % config.evaluateEvery() == 0 || b == config.batches() - 1) {
                evaluations.add(evaluate(evaluator, requests.subList(0, done), batch, done, baseline));
                EditMetrics m = evaluations.getLast().allEdits();
                progress.accept(String.format("  after %d edits: ES %.1f PS %.1f NS %.1f S %.1f GE %.0f, generation efficacy "
                        + "%.1f, neighbor stability %.1f %s", done, m.efficacy(), m.paraphrase(), m.neighborhood(), m.score(),
                        m.generationEntropy(), m.generationEfficacy(), m.neighborStability(), evaluations.getLast().downstream()));
            }
            checkpoint(run, editor, b + 1, new Results(editor.name(), config, provenance, batches, evaluations,
                    unedited));
        }
        Results results = new Results(editor.name(), config, provenance, batches, evaluations, unedited);
        run.writeResults(results);
        return results;
    }

    /**
     * The unedited model's neighborhood continuations for the GE edits, taken before the first batch and kept in the run
     * folder: a resumed run's model is already edited, so it reads them back. A run folder from before they were kept
     * has none, and its neighbor stability is not measured.
     */
    private NeighborBaseline neighborBaseline(RunFolder run, EditEvaluator evaluator, List<EditRequest> requests, int start) {
        Path file = run.resolve(BASELINE_FILE);
        try {
            if (start > 0) {
                if (!java.nio.file.Files.exists(file)) {
                    progress.accept(file + " is missing (a run from an older Scalpel): neighbor stability is not measured");
                    return null;
                }
                return new NeighborBaseline(JSON.readValue(file.toFile(),
                        JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, long[].class)));
            }
            int n = Math.min(config.generationEdits(), config.totalEdits());
            NeighborBaseline baseline = evaluator.neighborBaseline(requests.subList(0, n));
            dev.scalpel.core.io.AtomicFiles.writeJson(JSON, file, baseline.continuations());
            return baseline;
        } catch (IOException e) {
            throw new ScalpelException(file + ": unreadable: " + e.getMessage(), e);
        }
    }

    private SequentialRecords.Evaluation evaluate(EditEvaluator evaluator, List<EditRequest> all, List<EditRequest> latest,
                                                  int done, NeighborBaseline baseline) {
        EditMetrics allMetrics = all.isEmpty() ? null
                : evaluator.counterFact(all, Math.min(config.generationEdits(), all.size()), config.seed(), baseline);
        EditMetrics latestMetrics = latest.isEmpty() ? null : evaluator.counterFact(latest, 0, config.seed());
        return new SequentialRecords.Evaluation(done, allMetrics, latestMetrics, downstream.measure(context.model()),
                activations == null ? List.of() : activations.measure(context.model()));
    }

    /** Exports the edited model as a Hugging Face folder. */
    public void export(Path target) {
        ModelWriter.save(context.model(), target);
    }

    /** Where a run folder's checkpoint left off: batches done and the unedited model's metrics (null if none). */
    private record Resumed(int batchesDone, EditMetrics unedited) {
    }

    private Resumed resume(RunFolder run, Editor editor, List<SequentialRecords.Batch> batches,
                           List<SequentialRecords.Evaluation> evals) {
        if (!run.hasState()) {
            return new Resumed(0, null);
        }
        Path state = run.state();
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(state.resolve("progress.json").toFile());
            int done = p.get("batches_done").asInt();
            Map<String, Matrix> layers = readMatrices(state.resolve("edited-layers.safetensors"));
            for (int layer : context.site().layers()) {
                context.site().write(context.model(), layer, layers.get("layer." + layer));
            }
            editor.restore(readMatrices(state.resolve("editor-state.safetensors")));
            // Only the records are read back: the configuration is this run's, checked against the key above.
            JsonNode saved = p.get("results");
            batches.addAll(JSON.treeToValue(saved.get("batches"),
                    JSON.getTypeFactory().constructCollectionType(List.class, SequentialRecords.Batch.class)));
            evals.addAll(JSON.treeToValue(saved.get("evaluations"),
                    JSON.getTypeFactory().constructCollectionType(List.class, SequentialRecords.Evaluation.class)));
            JsonNode before = saved.get("unedited");
            EditMetrics unedited = before == null || before.isNull() ? null : JSON.treeToValue(before, EditMetrics.class);
            progress.accept("resuming " + editor.name() + " after " + done + " batches");
            return new Resumed(done, unedited);
        } catch (IOException e) {
            throw new ScalpelException(state + ": cannot resume: " + e.getMessage(), e);
        }
    }

    private void checkpoint(RunFolder run, Editor editor, int batchesDone, Results results) {
        run.checkpoint(tmp -> {
            Map<String, Matrix> layers = new LinkedHashMap<>();
            for (int layer : context.site().layers()) {
                layers.put("layer." + layer, context.site().read(context.model(), layer));
            }
            writeMatrices(tmp.resolve("edited-layers.safetensors"), layers);
            writeMatrices(tmp.resolve("editor-state.safetensors"), editor.state());
            ObjectNode p = JSON.createObjectNode();
            p.put("batches_done", batchesDone);
            p.set("results", JSON.valueToTree(results));
            JSON.writeValue(tmp.resolve("progress.json").toFile(), p);
        });
        run.writeResults(results);
    }

    private static String requestsSha256(List<EditRequest> edits) {
        try {
            return Sha256.of(JSON.writeValueAsBytes(edits));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the edited layers' unedited matrices: which weights a saved run started from. */
    private static String fingerprint(Map<Integer, Matrix> original) {
        java.security.MessageDigest digest = Sha256.digest();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8);
        for (Map.Entry<Integer, Matrix> e : original.entrySet()) {
            digest.update(("layer." + e.getKey() + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : e.getValue().data()) {
                digest.update(buffer.clear().putDouble(v).array());
            }
        }
        return Sha256.hex(digest);
    }

    private static void writeMatrices(Path file, Map<String, Matrix> matrices) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        matrices.forEach((k, m) -> entries.add(SafetensorsWriter.f64(k, new long[] {m.rows(), m.cols()}, m.data())));
        SafetensorsWriter.write(file, entries, Map.of("format", "scalpel-edit-state"));
    }

    private static Map<String, Matrix> readMatrices(Path file) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.names()) {
                long[] shape = f.info(n).shape();
                double[] d = new double[Math.toIntExact(shape[0] * shape[1])];
                var seg = f.segment(n);
                for (int i = 0; i < d.length; i++) {
                    d[i] = seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
                }
                out.put(n, new Matrix((int) shape[0], (int) shape[1], d));
            }
        }
        return out;
    }
}
