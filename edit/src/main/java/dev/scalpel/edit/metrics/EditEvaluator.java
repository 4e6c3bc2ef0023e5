package dev.scalpel.edit.metrics;

import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.edit.EditRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Measures edits as the papers do. CounterFact: ES, PS, NS from per-token mean NLLs of " target_new" and
 * " target_true", S their harmonic mean, and GE of 100-token generations (top-k 5 sampling, seeded). zsRE: teacher-forced
 * token accuracy of the new target on the question and its rephrasing, and of loc_ans on the loc question.
 */
public final class EditEvaluator {
    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;
    private final TargetScorer scorer;

    public EditEvaluator(TransformerModel model, Tokenizer tokenizer, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
        this.scorer = new TargetScorer(model, tokenizer, padId);
    }

    /** CounterFact metrics; GE over the generation prompts of at most {@code generationEdits} edits (0: skip GE). */
    public EditMetrics counterFact(List<EditRequest> edits, int generationEdits, long seed) {
        List<String> prompts = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (EditRequest e : edits) {
            add(prompts, targets, e.filledPrompt(), e.targetNew(), e.targetTrue());
            e.paraphrasePrompts().forEach(p -> add(prompts, targets, p, e.targetNew(), e.targetTrue()));
            e.neighborhoodPrompts().forEach(p -> add(prompts, targets, p, e.targetNew(), e.targetTrue()));
        }
        List<TargetScorer.Score> s = scorer.score(prompts, targets);
        double es = 0;
        double ps = 0;
        double ns = 0;
        int psCount = 0;
        int nsCount = 0;
        int at = 0;
        for (EditRequest e : edits) {
            es += prefersNew(s, at) ? 1 : 0;
            at += 2;
            if (!e.paraphrasePrompts().isEmpty()) {
                double hits = 0;
                for (int i = 0; i < e.paraphrasePrompts().size(); i++, at += 2) {
                    hits += prefersNew(s, at) ? 1 : 0;
                }
                ps += hits / e.paraphrasePrompts().size();
                psCount++;
            }
            if (!e.neighborhoodPrompts().isEmpty()) {
                double hits = 0;
                for (int i = 0; i < e.neighborhoodPrompts().size(); i++, at += 2) {
                    hits += prefersNew(s, at) ? 0 : 1;
                }
                ns += hits / e.neighborhoodPrompts().size();
                nsCount++;
            }
        }
        double efficacy = 100 * es / Math.max(1, edits.size());
        double paraphrase = 100 * ps / Math.max(1, psCount);
        double neighborhood = 100 * ns / Math.max(1, nsCount);
        double ge = generationEdits > 0 ? generationEntropy(edits.subList(0, Math.min(generationEdits, edits.size())), seed)
                : Double.NaN;
        return new EditMetrics(efficacy, paraphrase, neighborhood, EditMetrics.harmonic(efficacy, paraphrase, neighborhood),
                ge, edits.size());
    }

    /** zsRE metrics (efficacy, paraphrase, specificity as token accuracies in percent). */
    public EditMetrics zsre(List<EditRequest> edits) {
        List<String> prompts = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (EditRequest e : edits) {
            prompts.add(e.filledPrompt());
            targets.add(e.targetNew());
            prompts.add(e.paraphrasePrompts().isEmpty() ? e.filledPrompt() : e.paraphrasePrompts().getFirst());
            targets.add(e.targetNew());
            prompts.add(e.neighborhoodPrompts().isEmpty() ? e.filledPrompt() : e.neighborhoodPrompts().getFirst());
            targets.add(e.neighborhoodTargets().isEmpty() ? e.targetNew() : e.neighborhoodTargets().getFirst());
        }
        List<TargetScorer.Score> s = scorer.score(prompts, targets);
        double eff = 0;
        double para = 0;
        double spec = 0;
        for (int i = 0; i < edits.size(); i++) {
            eff += s.get(3 * i).tokenAccuracy();
            para += s.get(3 * i + 1).tokenAccuracy();
            spec += s.get(3 * i + 2).tokenAccuracy();
        }
        int n = Math.max(1, edits.size());
        double e = 100 * eff / n;
        double p = 100 * para / n;
        double sp = 100 * spec / n;
        return new EditMetrics(e, p, sp, EditMetrics.harmonic(e, p, sp), Double.NaN, edits.size());
    }

    private double generationEntropy(List<EditRequest> edits, long seed) {
        List<long[]> prompts = new ArrayList<>();
        for (EditRequest e : edits) {
            for (String p : e.generationPrompts()) {
                prompts.add(tokenizer.encode(p));
            }
        }
        if (prompts.isEmpty()) {
            return Double.NaN;
        }
        Generator generator = new Generator(model, tokenizer, padId);
        List<String> texts = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += 32) {
            List<long[]> chunk = prompts.subList(start, Math.min(prompts.size(), start + 32));
            // MEMIT's 100 new tokens, or as many as the model's context leaves after the longest prompt.
            int longest = chunk.stream().mapToInt(ids -> ids.length).max().orElse(0);
            int newTokens = Math.max(1, Math.min(100, model.config().maxPositions() - longest));
            Generation g = generator.generate(new GenerationRequest(chunk, newTokens, Sampling.sample(1.0, 5, 1.0, seed + start),
                    Set.of(), List.of(), true));
            g.sequences().forEach(ids -> texts.add(tokenizer.decode(ids, true)));
        }
        return NgramEntropy.of(texts);
    }

    private static void add(List<String> prompts, List<String> targets, String prompt, String newTarget, String trueTarget) {
        prompts.add(prompt);
        targets.add(newTarget);
        prompts.add(prompt);
        targets.add(trueTarget);
    }

    private static boolean prefersNew(List<TargetScorer.Score> s, int at) {
        return s.get(at).meanNll() < s.get(at + 1).meanNll();
    }
}
