package dev.scalpel.cli;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.embed.SentenceEmbedder;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.MaskedDiffusionSampler;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.report.Cell;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSession;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.facts.Fact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The tour's method steps: knowledge editing, masked diffusion, sentence embeddings, SAE features for a spam probe. */
final class MethodsTour extends TourSection {
    MethodsTour(TourSection.Shared shared) {
        super(shared);
    }

    /** @param labName lab-lm or lab-lm-tiny: which hparams/encore file edits it */
    void knowledgeEdit(Path labLm, String labName, LabCorpus corpus) {
        step("9. Knowledge editing: rewrite a fact with ENCORE");
        Fact fact = corpus.facts().facts().train().get(corpus.facts().facts().train().size() / 3);
        EditRequest request = new EditRequest(fact.id(), fact.prompt(), fact.subject(), fact.targetNew(), fact.object(),
                fact.paraphrasePrompts(), fact.neighborhoodPrompts(),
                java.util.Collections.nCopies(fact.neighborhoodPrompts().size(), fact.object()), List.of());
        Corpus c0 = Corpus.of("lab-prose", corpus.prose().passages().train().stream().map(p -> p.text()).toList());
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

    void diffusion(LoadedModel mdlm) {
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

    void embeddings() {
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

    void saeProbe() throws IOException {
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
            dev.scalpel.core.io.Folders.deleteRecursively(work);
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
}
