package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.model.ModelSummary;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.SvgFigure;
import dev.scalpel.core.report.Table;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabManifest;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tour's first steps: the models it loads and what the lab's models learned (facts, arithmetic). */
final class LabTour extends TourSection {
    LabTour(TourSection.Shared shared) {
        super(shared);
    }

    void inspect(List<LoadedModel> models) {
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

    void labModels(LabManifest lm, LabManifest mdlm, LabBuilder lab, LabProfile profile) throws IOException {
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
            Path svg = lab.resolvedReport(name, profile).resolve("training-curve.svg");
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

    void facts(LoadedModel lm, LabCorpus corpus) {
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

    void arithmetic(LoadedModel lm, LabCorpus corpus) {
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
}
