package dev.scalpel.bench;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.ContextTemplates;
import dev.scalpel.edit.EditContext;
import dev.scalpel.core.hparams.HyperparameterOverride;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSite;
import dev.scalpel.edit.stats.SecondMoment;
import dev.scalpel.core.text.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Knowledge-editing costs: C0 collection tokens/s (second moments of three layers' keys over a text corpus) and
 * seconds per edit for MEMIT and ENCORE (batches of 8 facts, value optimization included), on a checkpoint.
 */
final class EditBench {
    private static final String[][] FACTS = {{"poodle", "bird", "dog"}, {"wolf", "fish", "dog"}, {"sparrow", "cat", "bird"},
        {"salmon", "tree", "fish"}, {"oak", "dog", "tree"}, {"rose", "stone", "flower"}, {"trout", "bird", "fish"},
        {"eagle", "fish", "bird"}};

    private EditBench() {
    }

    static List<Measurement> run(String name, Path folder, List<Integer> layers) {
        List<Measurement> out = new ArrayList<>();
        try (LoadedModel m = LoadedModel.open(folder)) {
            Path cache = Files.createTempDirectory("scalpel-edit-bench");
            Corpus corpus = Corpus.of("bench-text", EmbeddingBench.texts(200, 5));
            long tokens = 20_000;
            long t0 = System.nanoTime();
            var c0 = new SecondMoment(m.model(), m.requireTokenizer(), cache).compute(layers, corpus, tokens, 4096,
                    Math.min(512, m.model().config().maxPositions()), t -> { });
            double rate = tokens / ((System.nanoTime() - t0) / 1e9);
            out.add(new Measurement("edit.c0_collection." + name, "scalpel", rate, "tokens/s", new double[] {rate},
                    Map.of("layers", layers, "tokens", tokens, "token_budget_per_pass", 4096)));
            long pad = m.generation().stopTokenIds().isEmpty() ? 0 : m.generation().stopTokenIds().iterator().next();
            List<String> templates = ContextTemplates.forModel(m.model(), m.requireTokenizer(), pad, cache.resolve("t.json"), 0);
            List<EditRequest> batch = new ArrayList<>();
            for (int i = 0; i < FACTS.length; i++) {
                String[] f = FACTS[i];
                batch.add(new EditRequest(Integer.toString(i), "The {} is a kind of", f[0], f[1], f[2], List.of(), List.of(),
                        List.of(), List.of()));
            }
            EditSite site = EditSite.of(m.model(), layers);
            Map<Integer, Matrix> unedited = new LinkedHashMap<>();
            for (int layer : layers) {
                unedited.put(layer, site.read(m.model(), layer));
            }
            // Two rounds, the methods alternating, the faster round kept: the first method measured alone would also
            // pay the JIT's and the allocator's warm-up.
            Map<EditMethod, List<Double>> rounds = new LinkedHashMap<>();
            Map<EditMethod, Map<String, Object>> settingsOf = new LinkedHashMap<>();
            for (int round = 0; round < 2; round++) {
                for (EditMethod method : List.of(EditMethod.MEMIT, EditMethod.ENCORE)) {
                    // Each method edits the unedited model: ENCORE timed on a MEMIT-edited model measures something else.
                    unedited.forEach((layer, w) -> site.write(m.model(), layer, w));
                    // The model's own lambda; the bench's layers and MEMIT's 20 value steps, with ENCORE's MPES at +2.
                    String layerList = layers.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
                    EditHyperparameters hp = EditHyperparameterFiles.forModel(method, name, m.model().config(), null,
                            List.of(HyperparameterOverride.parse("layers=[" + layerList + "]"),
                                    HyperparameterOverride.parse("value.steps=20"),
                                    HyperparameterOverride.parse("value.mpesExtra=" + (method == EditMethod.ENCORE ? 2 : -1))));
                    EditContext ctx = new EditContext(m.model(), m.requireTokenizer(), pad, site, c0, templates);
                    var outcome = hp.editor(ctx).apply(batch);
                    double perEdit = outcome.seconds() / batch.size();
                    List<Double> times = rounds.computeIfAbsent(method, k -> new ArrayList<>());
                    times.add(perEdit);
                    if (perEdit <= times.stream().mapToDouble(Double::doubleValue).min().orElseThrow()) {
                        Map<String, Object> settings = new LinkedHashMap<>();
                        settings.put("batch", batch.size());
                        settings.put("layers", layers);
                        settings.put("value_steps", 20);
                        settings.put("update_norms", outcome.deltaNorms());
                        // Where the time goes: optimizing the values, and the rest (keys, closed form, bookkeeping).
                        settings.put("value_seconds_per_edit", outcome.valueSeconds() / batch.size());
                        settings.put("update_seconds_per_edit", (outcome.seconds() - outcome.valueSeconds()) / batch.size());
                        settings.put("mean_value_iterations",
                                outcome.valueIterations().stream().mapToInt(Integer::intValue).average().orElse(0));
                        settingsOf.put(method, settings);
                    }
                }
            }
            rounds.forEach((method, times) -> out.add(new Measurement("edit.seconds_per_edit." + name,
                    "scalpel " + method.cliName(), times.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    "s/edit", times.stream().mapToDouble(Double::doubleValue).toArray(), settingsOf.get(method))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
