package dev.scalpel.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.hooks.HookFunction;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ModelSummary;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.Gradients;
import dev.scalpel.core.train.Losses;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel tour}: a few minutes through what Scalpel does, on the checkpoints bundled in the jar, ending with an
 * HTML report. Every number in it is computed, none is canned.
 */
@Command(name = "tour", description = "Show what Scalpel does on its bundled checkpoints and write an HTML report.")
final class TourCommand implements Callable<Integer> {
    private static final String PROMPT = "The capital of France is";

    @Spec
    CommandSpec spec;

    @Option(names = "--report", paramLabel = "DIR", description = "where to write report.html and results.json (default: ${DEFAULT-VALUE})")
    Path reportDir = Path.of("scalpel-tour");

    @Option(names = "--cache", paramLabel = "DIR", description = "where bundled models are unpacked (default: ~/.cache/scalpel/bundled)")
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "scalpel", "bundled");

    private PrintWriter out;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final HtmlReport report = new HtmlReport("Scalpel tour");

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path gpt2 = BundledModels.extract("gpt2-tiny", BundledModels.GPT2_FILES, cache);
        Path llama = BundledModels.extract("llama-tiny", BundledModels.LLAMA_FILES, cache);
        report.paragraph("The bundled checkpoints were made with Hugging Face transformers and have random weights: their "
                + "text is gibberish, but every computation below is the one Scalpel runs on real checkpoints, and the "
                + "test suite checks each against transformers' own outputs.");
        try (LoadedModel g = LoadedModel.open(gpt2); LoadedModel l = LoadedModel.open(llama);
             NDManager nd = NDManager.newBaseManager()) {
            inspect(g, l);
            hooks(g, nd);
            generate(g);
            steer(g, nd);
            differentiate(g, nd);
            editAndSave(g, nd);
            batch(l);
        }
        Path html = report.write(reportDir, results);
        out.printf("%nreport: %s%n", html.toAbsolutePath());
        return 0;
    }

    private void step(String title) {
        out.printf("%n== %s%n", title);
        report.section(title);
    }

    private void inspect(LoadedModel g, LoadedModel l) {
        step("1. Load and inspect");
        List<List<String>> rows = new ArrayList<>();
        for (LoadedModel m : List.of(g, l)) {
            ModelSummary s = ModelSummary.of(m.model());
            rows.add(HtmlReport.row(m.folder().getFileName(), s.architecture(), String.format("%,d", s.parameters()), s.layers(),
                    s.heads() + " / " + s.kvHeads(), s.rope(), s.hookPoints().size()));
            out.printf("%-11s %-7s %,9d parameters, %d layers, heads %d (kv %d), %d hook points%n", m.folder().getFileName(),
                    s.architecture(), s.parameters(), s.layers(), s.heads(), s.kvHeads(), s.hookPoints().size());
            results.put("inspect." + m.folder().getFileName(), s);
        }
        report.table(List.of("model", "architecture", "parameters", "layers", "heads / kv", "positions", "hook points"), rows);
        report.paragraph("llama-tiny's weights are sharded over six files through model.safetensors.index.json; "
                + "`scalpel inspect MODEL` lists every hook point.");
    }

    private void hooks(LoadedModel g, NDManager nd) {
        step("2. Hooks: read the residual stream and attention");
        TransformerModel model = g.model();
        long[] ids = g.requireTokenizer().encode(PROMPT);
        int layers = model.config().numLayers();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            names.add("blocks." + i + ".hook_resid_pre");
            names.add("blocks." + i + ".hook_resid_post");
        }
        String pattern = "blocks." + (layers - 1) + ".attn.hook_pattern";
        names.add(pattern);
        Hooks hooks = Hooks.caching(nd, names);
        model.forward(ForwardRequest.of(nd.create(ids).reshape(1, ids.length)), hooks, nd);
        List<String> labels = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        for (String n : names.subList(0, names.size() - 1)) {
            NDArray a = hooks.cache().get(n);
            double norm = a.square().sum(new int[] {-1}).sqrt().mean().getFloat();
            labels.add(n);
            norms.add(norm);
            out.printf("%-26s mean L2 norm %.4f%n", n, norm);
        }
        report.bars("Mean L2 norm of the residual stream per token, for \"" + PROMPT + "\"", labels, norms);
        float[] lastRow = hooks.cache().get(pattern).get("0, :, -1, :").mean(new int[] {0}).toFloatArray();
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < ids.length; j++) {
            rows.add(HtmlReport.row(j, g.requireTokenizer().decode(new long[] {ids[j]}), String.format("%.3f", lastRow[j])));
        }
        report.paragraph("Attention of the last token in the last layer, averaged over heads (" + pattern + "):");
        report.table(List.of("position", "token", "attention"), rows);
        results.put("hooks.residual_norms", Map.of("names", labels, "values", norms));
        results.put("hooks.last_token_attention", lastRow);
    }

    private void generate(LoadedModel g) {
        step("3. Generate");
        Tokenizer tok = g.requireTokenizer();
        long[] prompt = tok.encode(PROMPT);
        GenerationRequest greedy = GenerationRequest.greedy(prompt, 12);
        long t0 = System.nanoTime();
        Generation a = g.generator().generate(greedy);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Generation b = g.generator().generate(greedy.withSampling(Sampling.sample(0.8, 50, 0.95, 0)));
        out.printf("greedy : %s%nsampled: %s%n", tok.decode(a.sequences().get(0)), tok.decode(b.sequences().get(0)));
        report.table(List.of("decoding", "text"), List.of(
                HtmlReport.row("greedy", tok.decode(a.sequences().get(0))),
                HtmlReport.row("temperature 0.8, top-k 50, top-p 0.95, seed 0", tok.decode(b.sequences().get(0)))));
        report.paragraph(String.format("12 greedy tokens with the KV cache in %.3f s.", seconds));
        results.put("generate.greedy", tok.decode(a.sequences().get(0)));
        results.put("generate.sampled", tok.decode(b.sequences().get(0)));
    }

    private void steer(LoadedModel g, NDManager nd) {
        step("4. Steer: add a vector at a hook point");
        Tokenizer tok = g.requireTokenizer();
        String point = "blocks.1.hook_resid_pre";
        NDArray direction = meanActivation(g, nd, " dogs and puppies", point).sub(meanActivation(g, nd, " cats and kittens", point));
        NDArray vector = direction.mul(8);
        long[] prompt = tok.encode(PROMPT);
        GenerationRequest r = GenerationRequest.greedy(prompt, 10);
        String plain = tok.decode(g.generator().generate(r).newTokens().get(0));
        Hooks steering = Hooks.builder(nd).add(point, HookFunction.add(vector)).build();
        String steered = tok.decode(g.generator().generate(r, steering, null).newTokens().get(0));
        out.printf("plain  : %s%nsteered: %s%n", plain, steered);
        report.paragraph("The steering vector is 8 x (mean " + point + " of \" dogs and puppies\" minus that of \" cats and kittens\"), "
                + "added at every position of every forward pass.");
        report.table(List.of("", "continuation of \"" + PROMPT + "\""), List.of(HtmlReport.row("plain", plain),
                HtmlReport.row("steered", steered)));
        results.put("steer", Map.of("point", point, "plain", plain, "steered", steered));
    }

    private static NDArray meanActivation(LoadedModel g, NDManager nd, String text, String point) {
        long[] ids = g.requireTokenizer().encode(text);
        Hooks h = Hooks.caching(nd, List.of(point));
        g.model().forward(ForwardRequest.of(nd.create(ids).reshape(1, ids.length)), h, nd);
        return h.cache().get(point).mean(new int[] {1}).mean(new int[] {0});   // DJL's PyTorch mean takes one axis at a time
    }

    private void differentiate(LoadedModel g, NDManager nd) {
        step("5. Differentiate");
        long[] ids = g.requireTokenizer().encode(PROMPT + " Paris.");
        NDArray input = nd.create(ids).reshape(1, ids.length);
        String point = "blocks.0.hook_resid_mid";
        int d = g.model().config().hiddenSize();
        NDArray delta = nd.zeros(new ai.djl.ndarray.types.Shape(d));
        delta.setRequiresGradient(true);
        Gradients.Result r = Gradients.ofNextTokenLoss(g.model(), ForwardRequest.of(input),
                Hooks.builder(nd).add(point, HookFunction.add(delta)).build(), nd);
        List<String> labels = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        r.gradients().forEach((name, grad) -> {
            if (name.endsWith(".weight")) {
                labels.add(name);
                norms.add(Math.sqrt(grad.square().sum().getFloat()));
            }
        });
        report.paragraph(String.format("Next-token loss on \"%s Paris.\": %.4f. Gradient norms of the weight matrices:", PROMPT, r.loss()));
        report.bars("||d loss / d W|| per weight", labels, norms);
        // Check the hook gradient against a central finite difference along a random direction.
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
        double numeric = (lossWith(g, nd, input, point, u, h) - lossWith(g, nd, input, point, u, -h)) / (2 * h);
        out.printf("loss %.4f; d loss / d(vector added at %s) along a random direction: autograd %.6f, finite difference %.6f%n",
                r.loss(), point, analytic, numeric);
        report.paragraph(String.format("Directional derivative of the loss with respect to a vector added at %s: autograd %.6f, "
                + "central finite difference %.6f.", point, analytic, numeric));
        results.put("differentiate", Map.of("loss", r.loss(), "autograd", analytic, "finite_difference", numeric));
    }

    private static double lossWith(LoadedModel g, NDManager nd, NDArray input, String point, float[] u, double h) {
        try (NDManager local = nd.newSubManager()) {
            NDArray v = local.create(u).mul(h);
            var out = g.model().forward(ForwardRequest.of(input), Hooks.builder(local).add(point, HookFunction.add(v)).build(), local);
            return Losses.nextTokenCrossEntropy(out.logits(), input, null).getFloat();
        }
    }

    private void editAndSave(LoadedModel g, NDManager nd) throws IOException {
        step("6. Edit a parameter, save, reload");
        String name = "transformer.h.1.mlp.c_proj.weight";
        long[] ids = g.requireTokenizer().encode(PROMPT + " Paris.");
        NDArray input = nd.create(ids).reshape(1, ids.length);
        double before = Losses.nextTokenCrossEntropy(g.model().forward(ForwardRequest.of(input), nd).logits(), input, null).getFloat();
        NDArray original = g.model().parameters().get(name).duplicate();
        g.model().parameters().replace(name, original.mul(0));
        NDArray edited = g.model().forward(ForwardRequest.of(input), nd).logits();
        double after = Losses.nextTokenCrossEntropy(edited, input, null).getFloat();
        Path saved = reportDir.resolve("edited-gpt2-tiny");
        ModelWriter.save(g.model(), saved);
        boolean identical;
        try (LoadedModel reloaded = LoadedModel.open(saved)) {
            identical = reloaded.model().forward(ForwardRequest.of(input), nd).logits().contentEquals(edited);
        }
        g.model().parameters().replace(name, original);
        out.printf("zeroing %s: loss %.4f -> %.4f; saved to %s and reloaded: logits %s%n", name, before, after, saved,
                identical ? "bit-identical" : "DIFFERENT");
        report.paragraph(String.format("Zeroing %s changes the loss from %.4f to %.4f. The edited model was saved as a "
                + "Hugging Face folder (%s) and reloaded; its logits are %s.", name, before, after, saved.getFileName(),
                identical ? "bit-identical" : "different (a bug)"));
        results.put("edit", Map.of("parameter", name, "loss_before", before, "loss_after", after, "reload_identical", identical));
    }

    private void batch(LoadedModel l) {
        step("7. Batched generation with left padding (llama-tiny)");
        long[] a = {0, 17, 42};
        long[] b = {0, 5, 9, 11, 13, 21, 8};
        GenerationRequest both = new GenerationRequest(List.of(a, b), 8, Sampling.greedyDecoding(), Set.of(), List.of(), true);
        Generation batched = l.generator().generate(both);
        Generation aloneA = l.generator().generate(GenerationRequest.greedy(a, 8));
        Generation aloneB = l.generator().generate(GenerationRequest.greedy(b, 8).withCache(false));
        boolean same = Arrays.equals(batched.sequences().get(0), aloneA.sequences().get(0))
                && Arrays.equals(batched.sequences().get(1), aloneB.sequences().get(0));
        out.printf("batch of 2 (one left-padded) equals each alone (one without KV cache): %s%n", same);
        report.table(List.of("prompt ids", "generated ids (batched)"), List.of(
                HtmlReport.row(Arrays.toString(a), Arrays.toString(batched.newTokens().get(0))),
                HtmlReport.row(Arrays.toString(b), Arrays.toString(batched.newTokens().get(1)))));
        report.paragraph("Generated together with left padding, each prompt gets exactly the tokens it gets alone: " + same + ".");
        results.put("batch.equal_to_alone", same);
    }
}
