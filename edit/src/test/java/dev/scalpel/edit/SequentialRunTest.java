package dev.scalpel.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.ft.EditLoss;
import dev.scalpel.edit.ft.FineTuneHyperparameters;
import dev.scalpel.edit.lora.LoraHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.rome.RomeHyperparameters;
import dev.scalpel.edit.run.DownstreamProbe;
import dev.scalpel.edit.run.SequentialConfig;
import dev.scalpel.edit.run.SequentialEditRun;
import dev.scalpel.edit.stats.SecondMoment;
import dev.scalpel.core.text.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A sequential run killed mid-way resumes where it stopped and ends exactly where an uninterrupted run ends. */
class SequentialRunTest {

    static List<EditRequest> requests() {
        String[][] facts = {{"poodle", "bird", "dog"}, {"wolf", "fish", "dog"}, {"sparrow", "cat", "bird"},
            {"salmon", "tree", "fish"}};
        List<EditRequest> out = new ArrayList<>();
        for (int i = 0; i < facts.length; i++) {
            String[] f = facts[i];
            out.add(new EditRequest(Integer.toString(i), "The {} is a kind of", f[0], f[1], f[2],
                    List.of("A " + f[0] + " is a type of"), List.of("The animal is a kind of"), List.of(f[2]), List.of()));
        }
        return out;
    }

    /** Small values that edit llama-tiny in few steps; lambda is the covariance weight (MEMIT's, ENCORE's lambda_p). */
    private static EditHyperparameters hyperparameters(EditMethod method, List<Integer> layers, double lambda) {
        ValueHyperparameters value = ValueHyperparameters.memit(6);
        return switch (method) {
            case ROME -> new RomeHyperparameters(layers, value, 50_000);
            case MEMIT -> new MemitHyperparameters(layers, value, lambda, 50_000);
            case ALPHAEDIT -> new AlphaEditHyperparameters(layers, value, 1e-2, true, 10, 50_000);
            case ENCORE -> new EncoreHyperparameters(layers, value.withMpes(1), lambda, 5, 50_000);
            case FT -> new FineTuneHyperparameters(layers, EditLoss.PROMPT_LAST, 5, 2, 1e-2, 1e-2, 0.01, 0);
            case LORA -> new LoraHyperparameters(layers, EditLoss.TARGET_NEW, 4, 8, 5, 2, 1e-2, 0, 0);
        };
    }

    private static Matrix runAndRead(Path folder, EditMethod method, boolean interrupt, Path cache) {
        return runAndRead(folder, method, interrupt, cache, ctx -> { });
    }

    /** @param beforeRun changes the model before the run starts (a model other than the one a saved run began from) */
    private static Matrix runAndRead(Path folder, EditMethod method, boolean interrupt, Path cache,
                                     java.util.function.Consumer<EditContext> beforeRun) {
        return runAndRead(folder, method, interrupt, cache, beforeRun, c -> c, requests());
    }

    /**
     * A batch says how much of its time went to optimizing the values (the bench splits seconds per edit by it), and
     * the mean squared norm of its keys at each layer (what the report weighs lambda_n against): at the first edited
     * layer these are the unedited model's keys, read here before the edit.
     */
    @Test
    void aBatchSplitsItsTimeAndReportsItsKeyNorms(@TempDir Path cache) {
        try (LoadedModel m = LoadedModel.open(ModelEditTest.llamaTiny())) {
            List<Integer> layers = List.of(0, 1);
            Map<Integer, Matrix> c0 = new SecondMoment(m.model(), m.requireTokenizer(), cache)
                    .compute(layers, Corpus.of("tiny", ModelEditTest.corpus()), 50_000, 256, 256, t -> { });
            EditContext ctx = new EditContext(m.model(), m.requireTokenizer(), 1, EditSite.of(m.model(), layers), c0,
                    List.of("{}"));
            Matrix keys = ctx.keys(requests().subList(0, 2), 0);
            double expected = 0;
            for (int j = 0; j < keys.cols(); j++) {
                for (int i = 0; i < keys.rows(); i++) {
                    expected += keys.get(i, j) * keys.get(i, j) / keys.cols();
                }
            }
            var outcome = hyperparameters(EditMethod.MEMIT, layers, 50).editor(ctx).apply(requests().subList(0, 2));
            assertTrue(outcome.valueSeconds() > 0 && outcome.valueSeconds() < outcome.seconds(),
                    outcome.valueSeconds() + " s of " + outcome.seconds() + " s");
            assertEquals(expected, outcome.meanSquaredKeyNorms().get(0), 1e-9 * expected);
            assertTrue(outcome.meanSquaredKeyNorms().get(1) > 0, outcome.meanSquaredKeyNorms().toString());
        }
    }

    /** The unedited matrix of layer 1, which the runs edit. */
    private static Matrix unedited() {
        try (LoadedModel m = LoadedModel.open(ModelEditTest.llamaTiny())) {
            return EditSite.of(m.model(), List.of(0, 1)).read(m.model(), 1);
        }
    }

    private static Matrix runAndRead(Path folder, EditMethod method, boolean interrupt, Path cache,
                                     java.util.function.Consumer<EditContext> beforeRun,
                                     java.util.function.UnaryOperator<SequentialConfig> adjust, List<EditRequest> edits) {
        try (LoadedModel m = LoadedModel.open(ModelEditTest.llamaTiny())) {
            List<Integer> layers = List.of(0, 1);
            Map<Integer, Matrix> c0 = new SecondMoment(m.model(), m.requireTokenizer(), cache)
                    .compute(layers, Corpus.of("tiny", ModelEditTest.corpus()), 50_000, 256, 256, t -> { });
            EditContext ctx = new EditContext(m.model(), m.requireTokenizer(), 1, EditSite.of(m.model(), layers), c0,
                    List.of("{}", "Because of this. {}"));
            SequentialConfig config = adjust.apply(new SequentialConfig(hyperparameters(method, layers, 50), 2, 2, 2, 0, 0));
            beforeRun.accept(ctx);
            List<String> messages = new ArrayList<>();
            SequentialEditRun run = new SequentialEditRun(ctx, config, DownstreamProbe.NONE, null, folder, msg -> {
                messages.add(msg);
                if (msg.startsWith("resuming")) {
                    requireRestoredExactly(ctx, folder.resolve("state/edited-layers.safetensors"), layers);
                }
                if (interrupt && msg.contains("batch 2/2")) {
                    throw new IllegalStateException("killed");
                }
            });
            run.run(edits, new dev.scalpel.core.run.RunInputs("llama-tiny",
                    dev.scalpel.core.model.WeightFingerprint.of(m.model()), Map.of("c0_corpus", "tiny"), config.seed()), Map.of());
            return ctx.site().read(m.model(), 1);
        }
    }

    /** Restoring a checkpoint involves no arithmetic, so the model must hold exactly the saved matrices. */
    private static void requireRestoredExactly(EditContext ctx, Path saved, List<Integer> layers) {
        try (dev.scalpel.core.io.SafetensorsFile f = dev.scalpel.core.io.SafetensorsFile.open(saved)) {
            for (int layer : layers) {
                Matrix now = ctx.site().read(ctx.model(), layer);
                var seg = f.segment("layer." + layer);
                for (int i = 0; i < now.data().length; i++) {
                    double want = seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
                    if (now.data()[i] != want) {
                        throw new AssertionError("layer " + layer + " entry " + i + " restored as " + now.data()[i]
                                + ", saved " + want);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memit", "alphaedit", "encore", "ft", "lora"})
    void killedRunResumesToTheSameWeightsAndResults(String name, @TempDir Path dir) throws Exception {
        EditMethod method = EditMethod.parse(name);
        Path cache = dir.resolve("cache");
        Matrix whole = runAndRead(dir.resolve("a"), method, false, cache);
        assertThrows(IllegalStateException.class, () -> runAndRead(dir.resolve("b"), method, true, cache));
        Matrix resumed = runAndRead(dir.resolve("b"), method, false, cache);
        assertEquals(whole.rows(), resumed.rows());
        // Restoring is exact (checked above, when the run says it resumes); what follows is computed again, and
        // libtorch's reruns differ in the last bits, which the value optimization (Adam from zero) amplifies. The
        // tolerance is scaled to the edit itself, ||W - W0||, not to ||W|| (which an edit barely moves): losing the
        // first batch's edits or the editor's key memory changes the edit by far more than 5%.
        double edit = whole.minus(unedited()).norm();
        double differ = whole.minus(resumed).norm();
        System.out.printf("%s resume: weights differ by %.3g, the edit is %.3g (%.2g of it)%n", name, differ, edit,
                differ / edit);
        assertTrue(edit > 0, "the run edited layer 1");
        assertTrue(differ <= 0.05 * edit, "resumed weights differ by " + differ + ", the edit's norm is " + edit);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var a = mapper.readTree(dir.resolve("a/results.json").toFile()).get("evaluations");
        var b = mapper.readTree(dir.resolve("b/results.json").toFile()).get("evaluations");
        assertEquals(a.size(), b.size());
        assertEquals(a.get(a.size() - 1).get("allEdits").get("efficacy").asDouble(),
                b.get(b.size() - 1).get("allEdits").get("efficacy").asDouble(), 1e-9);
        assertTrue(Files.exists(dir.resolve("b/state/edited-layers.safetensors")));
        if (method == EditMethod.LORA) {   // every batch's adapter, the resumed run's included, in PEFT's format
            try (var batches = Files.list(dir.resolve("b/adapters"))) {
                List<Path> saved = batches.sorted().toList();
                assertEquals(List.of("batch-0001", "batch-0002"), saved.stream().map(p -> p.getFileName().toString()).toList());
                assertEquals(4, dev.scalpel.core.adapter.PeftFormat.read(saved.getFirst()).rank());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aSavedRunIsNotResumedOnOtherWeights(@TempDir Path dir) {
        Path cache = dir.resolve("cache");
        assertThrows(IllegalStateException.class, () -> runAndRead(dir.resolve("run"), EditMethod.MEMIT, true, cache));
        var e = assertThrows(dev.scalpel.core.ScalpelException.class, () -> runAndRead(dir.resolve("run"), EditMethod.MEMIT,
                false, cache, ctx -> {
                    Matrix w = ctx.site().read(ctx.model(), 0);
                    Matrix nudge = Matrix.zeros(w.rows(), w.cols());
                    nudge.set(0, 0, 1e-3);
                    ctx.site().add(ctx.model(), 0, nudge);
                }));
        assertTrue(e.getMessage().contains("starting_layers (saved"), e.getMessage());
        // The same weights still resume.
        runAndRead(dir.resolve("run"), EditMethod.MEMIT, false, cache);
    }

    @org.junit.jupiter.api.Test
    void aSavedRunIsNotResumedWithOtherHyperparametersFactsOrLength(@TempDir Path dir) {
        Path cache = dir.resolve("cache");
        Path run = dir.resolve("run");
        assertThrows(IllegalStateException.class, () -> runAndRead(run, EditMethod.MEMIT, true, cache));
        var hyper = assertThrows(dev.scalpel.core.ScalpelException.class, () -> runAndRead(run, EditMethod.MEMIT, false,
                cache, ctx -> { }, c -> new SequentialConfig(hyperparameters(EditMethod.MEMIT, c.hyperparameters().layers(), 60),
                        c.batchSize(),
                        c.batches(), c.evaluateEvery(), c.generationEdits(), c.seed()), requests()));
        assertTrue(hyper.getMessage().contains("hyperparameters"), hyper.getMessage());
        List<EditRequest> otherFacts = new ArrayList<>(requests());
        java.util.Collections.reverse(otherFacts);
        var facts = assertThrows(dev.scalpel.core.ScalpelException.class, () -> runAndRead(run, EditMethod.MEMIT, false,
                cache, ctx -> { }, c -> c, otherFacts));
        assertTrue(facts.getMessage().contains("data.requests (saved"), facts.getMessage());
        var length = assertThrows(dev.scalpel.core.ScalpelException.class, () -> runAndRead(run, EditMethod.MEMIT, false,
                cache, ctx -> { }, c -> new SequentialConfig(c.hyperparameters(), c.batchSize(), 1,
                        c.evaluateEvery(), c.generationEdits(), c.seed()), requests()));
        assertTrue(length.getMessage().contains("batches (saved 2, now 1)"), length.getMessage());
        // Unchanged settings still resume.
        runAndRead(run, EditMethod.MEMIT, false, cache);
    }
}
