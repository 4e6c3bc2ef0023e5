package dev.scalpel.cli;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.hooks.HookFunction;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.Gradients;
import dev.scalpel.core.train.Losses;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.facts.Fact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** The tour's runtime steps: hooks, steering, gradients, weight edits saved and reloaded, batched generation. */
final class RuntimeTour extends TourSection {
    RuntimeTour(TourSection.Shared shared) {
        super(shared);
    }

    void hooks(LoadedModel m, NDManager nd) {
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

    void steer(LoadedModel m, NDManager nd) {
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

    void differentiate(LoadedModel m, NDManager nd) {
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

    void editAndSave(LoadedModel m, LabCorpus corpus, NDManager nd) {
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

    void batch(LoadedModel l) {
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
