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
 * " target_true", S their harmonic mean, and GE of 100-token generations (top-k 5 sampling, seeded); beside them, what a
 * user sees: generation efficacy (greedy continuations of the rewrite and paraphrase prompts begin with the new target)
 * and neighbor stability (greedy continuations of neighborhood prompts unchanged from the unedited model's), both on
 * the GE subset. zsRE: teacher-forced token accuracy of the new target on the question and its rephrasing, and of
 * loc_ans on the loc question.
 */
public final class EditEvaluator {
    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;
    private final TargetScorer scorer;
    private final GreedyContinuations continuations;

    public EditEvaluator(TransformerModel model, Tokenizer tokenizer, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
        this.scorer = new TargetScorer(model, tokenizer, padId);
        this.continuations = new GreedyContinuations(model, tokenizer, padId);
    }

    /** The unedited model's continuations of the neighborhood prompts of {@code edits}: call before editing. */
    public NeighborBaseline neighborBaseline(List<EditRequest> edits) {
        List<String> prompts = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (EditRequest e : edits) {
            for (String p : e.neighborhoodPrompts()) {
                prompts.add(p);
                lengths.add(continuations.lengthFor(e.targetTrue()));
            }
        }
        List<long[]> said = continuations.of(prompts, lengths);
        java.util.Map<String, long[]> byPrompt = new java.util.LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            byPrompt.putIfAbsent(prompts.get(i), said.get(i));
        }
        return new NeighborBaseline(byPrompt);
    }

    /** CounterFact metrics without neighbor stability (no baseline). */
    public EditMetrics counterFact(List<EditRequest> edits, int generationEdits, long seed) {
        return counterFact(edits, generationEdits, seed, null);
    }

    /**
     * CounterFact metrics; GE, generation efficacy and neighbor stability over at most {@code generationEdits} edits (0:
     * none of them), the last only with a {@code baseline} taken before editing.
     */
    public EditMetrics counterFact(List<EditRequest> edits, int generationEdits, long seed, NeighborBaseline baseline) {
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
        List<EditRequest> subset = edits.subList(0, Math.min(Math.max(0, generationEdits), edits.size()));
        double ge = subset.isEmpty() ? Double.NaN : generationEntropy(subset, seed);
        double generationEfficacy = subset.isEmpty() ? Double.NaN : generationEfficacy(subset);
        double stability = subset.isEmpty() || baseline == null ? Double.NaN : neighborStability(subset, baseline);
        return new EditMetrics(efficacy, paraphrase, neighborhood, EditMetrics.harmonic(efficacy, paraphrase, neighborhood),
                ge, edits.size(), generationEfficacy, stability);
    }

    private double generationEfficacy(List<EditRequest> edits) {
        List<String> prompts = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (EditRequest e : edits) {
            prompts.add(e.filledPrompt());
            targets.add(e.targetNew());
            for (String p : e.paraphrasePrompts()) {
                prompts.add(p);
                targets.add(e.targetNew());
            }
        }
        List<long[]> said = continuations.of(prompts, targets.stream().map(continuations::lengthFor).toList());
        int hits = 0;
        for (int i = 0; i < said.size(); i++) {
            hits += continuations.beginsWith(said.get(i), targets.get(i)) ? 1 : 0;
        }
        return 100.0 * hits / Math.max(1, said.size());
    }

    private double neighborStability(List<EditRequest> edits, NeighborBaseline baseline) {
        List<String> prompts = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (EditRequest e : edits) {
            for (String p : e.neighborhoodPrompts()) {
                if (baseline.continuations().containsKey(p)) {
                    prompts.add(p);
                    lengths.add(continuations.lengthFor(e.targetTrue()));
                }
            }
        }
        if (prompts.isEmpty()) {
            return Double.NaN;
        }
        List<long[]> said = continuations.of(prompts, lengths);
        int same = 0;
        for (int i = 0; i < said.size(); i++) {
            same += java.util.Arrays.equals(said.get(i), baseline.continuations().get(prompts.get(i))) ? 1 : 0;
        }
        return 100.0 * same / said.size();
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
