package dev.scalpel.cli;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.embed.SentenceEmbedder;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.MaskedDiffusionSampler;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.hooks.HookFunction;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ModelSummary;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.SvgFigure;
import dev.scalpel.core.report.Table;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.Gradients;
import dev.scalpel.core.train.Losses;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSession;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabManifest;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel tour}: what Scalpel does, on models it trained itself (the lab's, built or reused), a real pretrained
 * encoder (all-MiniLM-L6-v2) and small checkpoints made with transformers, ending with an HTML report. Every number in
 * it is computed during the tour.
 */
@Command(name = "tour", description = {
    "Show what Scalpel does and write an HTML report (to --report DIR, default scalpel-tour).",
    "Builds the lab models first if they are missing (about 30 minutes on 2 cores, once; later tours take a minute or two).",
    "--quick uses the lab's tiny profile instead (seconds to build, gibberish text, every step still runs)."})
final class TourCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where the report goes without --report. */
    private static final Path DEFAULT_REPORT = Path.of("scalpel-tour");

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--cache", paramLabel = "DIR", description = "where bundled models are unpacked (default: bundled/ in the Scalpel home, $SCALPEL_HOME or ~/.cache/scalpel)")
    Path cache = ScalpelHome.fromEnvironment().bundled();

    @Option(names = "--quick", description = "use the lab's tiny models (built in seconds)")
    boolean quick;

    private PrintWriter out;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final ReportBuilder report = Report.builder("Scalpel tour");
    private Path reportDir;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        reportDir = output.folder(DEFAULT_REPORT);
        LabProfile profile = quick ? LabProfile.TINY : LabProfile.DEFAULT;
        LabHome home = LabHome.fromEnvironment();
        LabBuilder lab = new LabBuilder(home, quick);
        if (!lab.isBuilt("lab-lm", profile) || !lab.isBuilt("lab-mdlm", profile)) {
            out.printf("Building the lab models%s; this happens once.%n", quick ? " (tiny profile)" : " (about 30 minutes on 2 cores)");
            out.flush();
        }
        LabManifest lmManifest = lab.build("lab-lm", profile, false);
        LabManifest mdlmManifest = lab.build("lab-mdlm", profile, false);
        Path gpt2 = BundledModels.extract("gpt2-tiny", BundledModels.GPT2_FILES, cache);
        Path llama = BundledModels.extract("llama-tiny", BundledModels.LLAMA_FILES, cache);
        report.paragraph("lab-lm and lab-mdlm were trained by Scalpel on corpora it builds offline (WordNet 3.1 text and facts, "
                + "arithmetic word problems)" + (quick ? ", here with the tiny profile, so their text is gibberish" : "")
                + ". gpt2-tiny and llama-tiny were made with Hugging Face transformers (random weights) and are the test "
                + "suite's golden references. all-MiniLM-L6-v2 is a real pretrained encoder, read from the ONNX file "
                + "LangChain4j ships.");
        LabCorpus corpus = LabCorpus.build(dev.scalpel.lab.build.LabSpec.SEED, profile.corpus());
        try (LoadedModel lm = LoadedModel.open(lab.modelFolder("lab-lm", profile));
             LoadedModel mdlm = LoadedModel.open(lab.modelFolder("lab-mdlm", profile));
             LoadedModel g = LoadedModel.open(gpt2); LoadedModel l = LoadedModel.open(llama);
             NDManager nd = NDManager.newBaseManager()) {
            inspect(List.of(lm, mdlm, g, l));
            labModels(lmManifest, mdlmManifest, home, profile);
            facts(lm, corpus);
            arithmetic(lm, corpus);
            hooks(lm, nd);
            steer(lm, nd);
            differentiate(lm, nd);
            editAndSave(lm, corpus, nd);
            knowledgeEdit(lab.modelFolder("lab-lm", profile), profile == LabProfile.TINY ? "lab-lm-tiny" : "lab-lm", corpus);
            diffusion(mdlm);
            embeddings();
            batch(l);
            saeProbe();
        }
        out.println();
        output.emit(out, report.build(), results, reportDir);
        return 0;
    }

    private void step(String title) {
        out.printf("%n== %s%n", title);
        out.flush();
        report.section(title);
    }

    private void inspect(List<LoadedModel> models) {
        step("1. Load and inspect");
        List<List<Cell>> rows = new ArrayList<>();
        for (LoadedModel m : models) {
            ModelSummary s = ModelSummary.of(m.model());
            String name = m.folder().getParent() != null && m.folder().getFileName().toString().equals("model")
                    ? m.folder().getParent().getFileName().toString() : m.folder().getFileName().toString();
            rows.add(List.of(Cell.text(name), Cell.text(s.architecture()), Cell.count(s.parameters()), Cell.count(s.layers()),
                    Cell.text(s.heads() + " / " + s.kvHeads()), Cell.text(s.rope()), Cell.count(s.hookPoints().size())));
            out.printf("%-14s %-7s %,10d parameters, %d layers, heads %d (kv %d), %d hook points%n", name, s.architecture(),
                    s.parameters(), s.layers(), s.heads(), s.kvHeads(), s.hookPoints().size());
            results.put("inspect." + name, s);
        }
        report.table("the four models", List.of("model", "architecture", "parameters", "layers", "heads / kv", "positions",
                "hook points"), rows);
    }

    private void labModels(LabManifest lm, LabManifest mdlm, LabHome home, LabProfile profile) throws IOException {
        step("2. The lab's models");
        Map<String, Object> lmMetrics = LabCommand.snake(lm.metrics());
        Map<String, Object> mdlmMetrics = LabCommand.snake(mdlm.metrics());
        out.printf("lab-lm:   %,d parameters, %,d tokens in %.0f s (MFU %.0f%%): %s%n", lm.parameters(), lm.tokensTrained(),
                lm.secondsTraining(), 100 * lm.modelFlopsUtilization(), Json.line(lmMetrics));
        out.printf("lab-mdlm: %,d parameters, perplexity bound %.1f%n", mdlm.parameters(), mdlmMetrics.get("perplexity_bound"));
        // Metrics get tables of their own, one row per number: a JSON object in a cell is unreadable.
        report.table("training", List.of("model", "parameters", "tokens", "training time", "model-FLOPs utilization"),
                List.of(training("lab-lm", lm), training("lab-mdlm", mdlm)));
        report.add(Table.ofMetrics("lab-lm's metrics (held-out text perplexity, fact and paraphrase recall, arithmetic "
                + "accuracy by level)", lmMetrics));
        report.add(Table.ofMetrics("lab-mdlm's metrics (perplexity bound, samples)", mdlmMetrics));
        for (String name : List.of("lab-lm", "lab-mdlm")) {
            Path svg = home.model(name, profile).resolve("report").resolve("training-curve.svg");
            if (Files.exists(svg)) {
                report.add(new SvgFigure(name + " training curve", Files.readString(svg)));
            }
        }
        results.put("lab.lab-lm", lmMetrics);
        results.put("lab.lab-mdlm", mdlmMetrics);
    }

    private static List<Cell> training(String name, LabManifest m) {
        return List.of(Cell.text(name), Cell.count(m.parameters()), Cell.count(m.tokensTrained()),
                Cell.decimal(m.secondsTraining(), 0, "s"), Cell.percent(m.modelFlopsUtilization(), 0));
    }

    private void facts(LoadedModel lm, LabCorpus corpus) {
        step("3. What lab-lm knows: facts");
        List<Fact> facts = corpus.facts().facts().train();
        List<List<Cell>> rows = new ArrayList<>();
        int shown = 0;
        for (int i = 0; i < facts.size() && shown < 8; i += Math.max(1, facts.size() / 8), shown++) {
            Fact f = facts.get(i);
            long[] prompt = lm.requireTokenizer().encode(f.filledPrompt());
            Generation gen = lm.generator().generate(GenerationRequest.greedy(prompt, 4));
            String continuation = lm.requireTokenizer().decode(gen.newTokens().get(0), true);
            rows.add(List.of(Cell.text(f.filledPrompt()), Cell.text(continuation), Cell.text(f.target().strip())));
            out.printf("%-45s ->%s   (true: %s)%n", f.filledPrompt(), continuation, f.target().strip());
        }
        report.table("trained facts, prompted", List.of("prompt", "lab-lm's greedy continuation", "trained fact"), rows);
    }

    private void arithmetic(LoadedModel lm, LabCorpus corpus) {
        step("4. What lab-lm can do: arithmetic (held-out problems)");
        List<List<Cell>> rows = new ArrayList<>();
        for (int level = 1; level <= 2; level++) {
            final int lv = level;
            WordProblem p = corpus.arithmetic().problems().test().stream().filter(q -> q.level() == lv).findFirst().orElseThrow();
            long[] prompt = lm.requireTokenizer().encode(DocumentFormats.arithmeticPrompt(p.question()));
            Generation gen = lm.generator().generate(GenerationRequest.greedy(prompt, 120)
                    .withStopTokenIds(lm.generation().stopTokenIds()));
            String answer = lm.requireTokenizer().decode(gen.newTokens().get(0), true).strip();
            out.printf("level %d: %s%n  -> %s   (correct answer %d)%n", level, p.question(), answer, p.answer());
            rows.add(List.of(Cell.count(level), Cell.text(p.question()), Cell.text(answer), Cell.text(p.answer())));
        }
        report.table("held-out word problems", List.of("level", "question", "lab-lm's answer", "correct"), rows);
    }

    private void hooks(LoadedModel m, NDManager nd) {
        step("5. Hooks: read the residual stream and attention");
        TransformerModel model = m.model();
        String text = "A poodle is a kind of dog.";
        long[] ids = m.requireTokenizer().encode(text);
        int layers = model.config().numLayers();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            names.add(HookNames.block(i, HookNames.RESID_POST));
        }
        String pattern = HookNames.block(layers - 1, HookNames.PATTERN);
        names.add(pattern);
        Hooks hooks = Hooks.caching(nd, names);
        model.forward(ForwardRequest.of(nd.create(ids).reshape(1, ids.length)), hooks, nd);
        List<String> labels = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        for (String n : names.subList(0, layers)) {
            double norm = hooks.cache().get(n).square().sum(new int[] {-1}).sqrt().mean().getFloat();
            labels.add(n);
            norms.add(norm);
            out.printf("%-26s mean L2 norm %.3f%n", n, norm);
        }
        report.add(BarChart.of("Mean L2 norm of lab-lm's residual stream per token, for \"" + text + "\"", labels, norms));
        float[] lastRow = hooks.cache().get(pattern).get("0, :, -1, :").mean(new int[] {0}).toFloatArray();
        List<List<Cell>> rows = new ArrayList<>();
        for (int j = 0; j < ids.length; j++) {
            rows.add(List.of(Cell.count(j), Cell.text(m.requireTokenizer().decode(new long[] {ids[j]})),
                    Cell.decimal(lastRow[j], 3)));
        }
        report.paragraph("Attention of the last token in the last layer, averaged over heads (" + pattern + "):");
        report.table("attention of the last token", List.of("position", "token", "attention"), rows);
        results.put("hooks.residual_norms", Map.of("names", labels, "values", norms));
    }

    private void steer(LoadedModel m, NDManager nd) {
        step("6. Steer: add a vector at a hook point");
        Tokenizer tok = m.requireTokenizer();
        int layer = m.model().config().numLayers() / 2;
        String point = HookNames.block(layer, HookNames.RESID_PRE);
        NDArray direction = meanActivation(m, nd, "Question: Tom has 3 apples.", point)
                .sub(meanActivation(m, nd, "A poodle is a kind of dog.", point));
        NDArray vector = Scalars.mul(direction, 4);
        long[] prompt = tok.encode("A wolf is a kind of");
        GenerationRequest r = GenerationRequest.greedy(prompt, 12);
        String plain = tok.decode(m.generator().generate(r).newTokens().get(0), true);
        Hooks steering = Hooks.builder(nd).add(point, HookFunction.add(vector)).build();
        String steered = tok.decode(m.generator().generate(r, steering, null).newTokens().get(0), true);
        out.printf("plain  : A wolf is a kind of%s%nsteered: A wolf is a kind of%s%n", plain, steered);
        report.paragraph("The steering vector is 4 x (mean " + point + " over an arithmetic question minus that over a fact "
                + "sentence), added at every position of every forward pass.");
        report.table("plain and steered generation", List.of("run", "continuation of \"A wolf is a kind of\""), List.of(
                List.of(Cell.text("plain"), Cell.text(plain)),
                List.of(Cell.text("steered towards arithmetic"), Cell.text(steered))));
        results.put("steer", Map.of("point", point, "plain", plain, "steered", steered));
    }

    private static NDArray meanActivation(LoadedModel m, NDManager nd, String text, String point) {
        long[] ids = m.requireTokenizer().encode(text);
        Hooks h = Hooks.caching(nd, List.of(point));
        m.model().forward(ForwardRequest.of(nd.create(ids).reshape(1, ids.length)), h, nd);
        return h.cache().get(point).mean(new int[] {1}).mean(new int[] {0});   // DJL's PyTorch mean takes one axis at a time
    }

    private void differentiate(LoadedModel m, NDManager nd) {
        step("7. Differentiate");
        long[] ids = m.requireTokenizer().encode("A poodle is a kind of dog.");
        NDArray input = nd.create(ids).reshape(1, ids.length);
        String point = HookNames.block(0, HookNames.RESID_MID);
        int d = m.model().config().hiddenSize();
        NDArray delta = nd.zeros(new ai.djl.ndarray.types.Shape(d));
        delta.setRequiresGradient(true);
        Gradients.Result r = Gradients.ofNextTokenLoss(m.model(), ForwardRequest.of(input),
                Hooks.builder(nd).add(point, HookFunction.add(delta)).build(), nd);
        List<String> labels = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        r.gradients().forEach((name, grad) -> {
            if (name.endsWith("proj.weight")) {
                labels.add(name);
                norms.add(Math.sqrt(grad.square().sum().getFloat()));
            }
        });
        report.paragraph(String.format("Next-token loss on \"A poodle is a kind of dog.\": %.4f. Gradient norms of the "
                + "projection matrices:", r.loss()));
        report.add(BarChart.of("||d loss / d W|| per projection", labels, norms));
        float[] grad = delta.getGradient().toFloatArray();
        float[] u = new float[d];
        Random random = new Random(0);
        double n = 0;
        for (int i = 0; i < d; i++) {
            u[i] = (float) random.nextGaussian();
            n += u[i] * u[i];
        }
        double analytic = 0;
        for (int i = 0; i < d; i++) {
            u[i] /= (float) Math.sqrt(n);
            analytic += grad[i] * u[i];
        }
        double h = 1e-2;
        double numeric = (lossWith(m, nd, input, point, u, h) - lossWith(m, nd, input, point, u, -h)) / (2 * h);
        out.printf("loss %.4f; d loss / d(vector added at %s) along a random direction: autograd %.6f, finite difference %.6f%n",
                r.loss(), point, analytic, numeric);
        report.paragraph(String.format("Directional derivative of the loss with respect to a vector added at %s: autograd %.6f, "
                + "central finite difference %.6f.", point, analytic, numeric));
        results.put("differentiate", Map.of("loss", r.loss(), "autograd", analytic, "finite_difference", numeric));
    }

    private static double lossWith(LoadedModel m, NDManager nd, NDArray input, String point, float[] u, double h) {
        try (NDManager local = nd.newSubManager()) {
            NDArray v = Scalars.mul(local.create(u), h);
            var out = m.model().forward(ForwardRequest.of(input), Hooks.builder(local).add(point, HookFunction.add(v)).build(), local);
            return Losses.nextTokenCrossEntropy(out.logits(), input, null).getFloat();
        }
    }

    private void editAndSave(LoadedModel m, LabCorpus corpus, NDManager nd) {
        step("8. Edit a parameter, save, reload");
        int last = m.model().config().numLayers() - 1;
        String name = m.model().linearModule(last, LinearModule.Role.MLP_DOWN).weight();
        Fact fact = corpus.facts().facts().train().getFirst();
        long[] ids = m.requireTokenizer().encode(fact.trainingSentences().getFirst());
        NDArray input = nd.create(ids).reshape(1, ids.length);
        double before = Losses.nextTokenCrossEntropy(m.model().forward(ForwardRequest.of(input), nd).logits(), input, null).getFloat();
        NDArray original = m.model().parameters().get(name).duplicate();
        original.attach(nd);
        m.model().parameters().replace(name, Scalars.mul(original, 0));
        NDArray edited = m.model().forward(ForwardRequest.of(input), nd).logits();
        double after = Losses.nextTokenCrossEntropy(edited, input, null).getFloat();
        Path saved = reportDir.resolve("edited-lab-lm");
        ModelWriter.save(m.model(), saved);
        boolean identical;
        try (LoadedModel reloaded = LoadedModel.open(saved)) {
            identical = reloaded.model().forward(ForwardRequest.of(input), nd).logits().contentEquals(edited);
        }
        m.model().parameters().replace(name, original);
        out.printf("zeroing %s: loss on \"%s\" %.4f -> %.4f; saved to %s and reloaded: logits %s%n", name,
                fact.trainingSentences().getFirst(), before, after, saved, identical ? "bit-identical" : "DIFFERENT");
        report.paragraph(String.format("Zeroing %s changes the loss on \"%s\" from %.4f to %.4f. The edited model was saved "
                + "as a Hugging Face folder (%s) and reloaded; its logits are %s.", name, fact.trainingSentences().getFirst(),
                before, after, saved.getFileName(), identical ? "bit-identical" : "different (a bug)"));
        results.put("edit", Map.of("parameter", name, "loss_before", before, "loss_after", after, "reload_identical", identical));
    }

    /** @param labName lab-lm or lab-lm-tiny: which hparams/encore file edits it */
    private void knowledgeEdit(Path labLm, String labName, LabCorpus corpus) {
        step("9. Knowledge editing: rewrite a fact with ENCORE");
        Fact fact = corpus.facts().facts().train().get(corpus.facts().facts().train().size() / 3);
        EditRequest request = new EditRequest(fact.id(), fact.prompt(), fact.subject(), fact.targetNew(), fact.object(),
                fact.paraphrasePrompts(), fact.neighborhoodPrompts(),
                java.util.Collections.nCopies(fact.neighborhoodPrompts().size(), fact.object()), List.of());
        Corpus c0 = Corpus.of("lab-text", corpus.text().documents().train().stream().map(d -> d.text()).toList());
        Path cache = ScalpelHome.fromEnvironment().edit();
        EditHyperparameters hp = EditHyperparameterFiles.forModel(EditMethod.ENCORE, labName, EditCommand.configOf(labLm),
                null, List.of());
        try (EditSession session = EditSession.open(labLm, hp, c0, cache, 0, s -> { })) {
            var ctx = session.context();
            List<String> prompts = new ArrayList<>(List.of(request.filledPrompt()));
            prompts.addAll(request.paraphrasePrompts().subList(0, Math.min(2, request.paraphrasePrompts().size())));
            prompts.addAll(request.neighborhoodPrompts().subList(0, Math.min(2, request.neighborhoodPrompts().size())));
            List<String> before = continuations(session.loaded(), prompts);
            long t0 = System.nanoTime();
            hp.editor(ctx).apply(List.of(request));
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> after = continuations(session.loaded(), prompts);
            List<List<Cell>> rows = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                String kind = i == 0 ? "rewrite" : i <= Math.min(2, request.paraphrasePrompts().size()) ? "paraphrase" : "neighbor";
                rows.add(List.of(Cell.text(kind), Cell.text(prompts.get(i)), Cell.text(before.get(i)), Cell.text(after.get(i))));
                out.printf("%-10s %-45s %-14s -> %s%n", kind, prompts.get(i), before.get(i), after.get(i));
            }
            report.paragraph(String.format("Edit: \"%s\" -> \"%s\" (was \"%s\"), layers %s, %.1f s. Neighbors should keep "
                    + "their answers; paraphrases should follow the edit.", request.filledPrompt(), request.targetNew(),
                    request.targetTrue(), hp.layers(), seconds));
            report.table("greedy answers before and after the edit", List.of("prompt kind", "prompt", "before", "after"),
                    rows);
            results.put("edit_fact", Map.of("prompt", request.filledPrompt(), "target_new", request.targetNew(),
                    "before", before, "after", after));
        }
    }

    private static List<String> continuations(LoadedModel m, List<String> prompts) {
        List<String> out = new ArrayList<>();
        for (String p : prompts) {
            Generation g = m.generator().generate(GenerationRequest.greedy(m.requireTokenizer().encode(p), 3));
            out.add(m.requireTokenizer().decode(g.newTokens().get(0), true).strip());
        }
        return out;
    }

    private void diffusion(LoadedModel mdlm) {
        step("10. Masked diffusion: lab-mdlm samples");
        long mask = mdlm.model().config().source().intOr("mask_token_id", 3);
        List<long[]> samples = new MaskedDiffusionSampler(mdlm.model(), null, mask, 64)
                .generate(GenerationRequest.of(Collections.nCopies(3, new long[] {0}), 31, Sampling.sample(1, 0, 1, 7)))
                .sequences();
        List<List<Cell>> rows = new ArrayList<>();
        for (long[] s : samples) {
            String text = mdlm.requireTokenizer().decode(s, true);
            out.println("  " + text);
            rows.add(List.of(Cell.text(text)));
        }
        report.paragraph("Unconditional samples, 32 tokens, 64 reverse steps of MDLM's ancestral sampler (log-linear schedule):");
        report.table("lab-mdlm's samples", List.of("sample"), rows);
    }

    private void embeddings() {
        step("11. A real pretrained encoder: all-MiniLM-L6-v2 sentence embeddings");
        List<String> sentences = List.of("A poodle is a kind of dog.", "Poodles are dogs.", "The stock market fell sharply today.");
        try (SentenceEmbedder e = MiniLm.load()) {
            float[][] v = sentences.stream().map(e::embed).toArray(float[][]::new);
            List<List<Cell>> rows = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    double cos = 0;
                    for (int k = 0; k < v[i].length; k++) {
                        cos += v[i][k] * v[j][k];
                    }
                    rows.add(List.of(Cell.text(sentences.get(i)), Cell.text(sentences.get(j)), Cell.decimal(cos, 3)));
                    out.printf("cos(\"%s\", \"%s\") = %.3f%n", sentences.get(i), sentences.get(j), cos);
                }
            }
            // The agreement with LangChain4j's ONNX Runtime is measured by MiniLmEmbeddingTest, not here: the tour has
            // no ONNX Runtime on its class path, so it states only what the test suite checks.
            report.paragraph("Cosine similarities of sentence embeddings (mean pooling, L2-normalized; the test suite "
                    + "compares these embeddings with LangChain4j's ONNX Runtime output, MiniLmEmbeddingTest):");
            report.table("cosine similarity of sentence pairs", List.of("sentence", "sentence", "cosine"), rows);
        }
    }

    private void saeProbe() throws IOException {
        step("13. Sparse-autoencoder features: spam or ham (MOSAIC, in miniature)");
        int texts = quick ? 200 : 500;
        var config = new dev.scalpel.interpret.mosaic.MosaicConfig(HookNames.blockPattern(HookNames.NORMALIZED_RESID_POST), List.of(3),
                List.of(dev.scalpel.interpret.sae.SaeArchitecture.TOPK), List.of(1536), 32, 3.0, quick ? 40 : 150, 1024,
                1e-3, 200_000, 64, 1.0f, 20, 16, texts, 42);
        List<dev.scalpel.interpret.data.LabeledText> emails = dev.scalpel.interpret.data.SpamAssassin.load().texts();
        Path work = Files.createTempDirectory("scalpel-tour-mosaic");
        dev.scalpel.interpret.mosaic.MosaicResults r;
        try (LoadedModel minilm = LoadedModel.open(MiniLm.exportedFolder())) {
            var listener = new dev.scalpel.interpret.mosaic.MosaicReproduction.Listener() {
                @Override
                public void log(String line) {
                }

                @Override
                public dev.scalpel.interpret.harvest.HarvestProgress harvest() {
                    return (a, b, c, d) -> { };
                }

                @Override
                public dev.scalpel.interpret.sae.train.SaeTrainingListener training() {
                    return m -> { };
                }
            };
            r = new dev.scalpel.interpret.mosaic.MosaicReproduction(config, listener).run(minilm.model(),
                    dev.scalpel.interpret.harvest.TokenSource.of(minilm, true), "minilm", emails, work);
        } finally {
            deleteTree(work);
        }
        var sae = r.saes().getFirst();
        List<List<Cell>> rows = new ArrayList<>();
        Map<String, Double> f1 = new LinkedHashMap<>();
        for (var c : r.cells()) {
            boolean shown = c.probe().equals("tfidf") || (c.probe().equals("hidden_state") && "mean".equals(c.pooling()))
                    || dev.scalpel.interpret.mosaic.MosaicClaims.binarizedSum(c);
            if (shown) {
                String what = c.probe() + ": " + dev.scalpel.interpret.mosaic.MosaicClaims.describe(c);
                rows.add(List.of(Cell.text(what), Cell.decimal(c.testMacroF1(), 3), Cell.meanStd(c.cvMean(), c.cvStd(), 3)));
                out.printf("%-60s test macro-F1 %.3f%n", what, c.testMacroF1());
                f1.put(c.probe(), c.testMacroF1());
            }
        }
        out.printf("TopK SAE (1,536 latents, k 32) trained here on %s emails' tokens: FVU %.3f, sentence-embedding cosine "
                + "with the SAE spliced in %.3f%n", r.data().get("train"), sae.fvu(), sae.spliced());
        report.paragraph(String.format("%s SpamAssassin emails (bundled; parsed with mime4j), all-MiniLM-L6-v2 block 3: a "
                + "TopK SAE trained here (FVU %.3f; the encoder's sentence embedding keeps cosine %.3f with the "
                + "reconstruction spliced in), its features summed over each email's tokens and binarized, against the "
                + "hidden state and TF-IDF, each a logistic regression with C by 5-fold CV. `./scalpel reproduce "
                + "sae-probing` runs the whole grid on all 6,046 emails.", r.data().get("examples"), sae.fvu(),
                sae.spliced()));
        report.table("spam or ham: each probe on the test split", List.of("probe", "test macro-F1", "CV macro-F1"), rows);
        results.put("sae_probe", Map.of("texts", r.data().get("examples"), "fvu", sae.fvu(), "test_macro_f1", f1));
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void batch(LoadedModel l) {
        step("12. Batched generation with left padding (llama-tiny, a transformers checkpoint)");
        long[] a = {0, 17, 42};
        long[] b = {0, 5, 9, 11, 13, 21, 8};
        GenerationRequest both = new GenerationRequest(List.of(a, b), 8, Sampling.greedyDecoding(), Set.of(), List.of(), true);
        Generation batched = l.generator().generate(both);
        Generation aloneA = l.generator().generate(GenerationRequest.greedy(a, 8));
        Generation aloneB = l.generator().generate(GenerationRequest.greedy(b, 8).withCache(false));
        boolean same = Arrays.equals(batched.sequences().get(0), aloneA.sequences().get(0))
                && Arrays.equals(batched.sequences().get(1), aloneB.sequences().get(0));
        out.printf("batch of 2 (one left-padded) equals each alone (one without KV cache): %s%n", same);
        report.paragraph("Generated together with left padding, each prompt gets exactly the tokens it gets alone: " + same + ".");
        results.put("batch.equal_to_alone", same);
    }
}
