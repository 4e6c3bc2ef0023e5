package dev.scalpel.lab.build;

import dev.scalpel.core.eval.ExactMatch;
import dev.scalpel.core.eval.Perplexity;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Measures a lab causal LM: held-out perplexity, recall of trained facts, accuracy on held-out arithmetic. */
public final class LmEvaluator {
    private static final Pattern ANSWER = Pattern.compile("The answer is (-?\\d+)\\.");
    private static final int BATCH = 32;

    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long eos;
    private final long pad;

    public LmEvaluator(TransformerModel model, Tokenizer tokenizer, long eos, long pad) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.pad = pad;
    }

    /**
     * @param maxFacts at most this many trained facts are checked (evenly spaced over the list)
     * @param maxProblemsPerLevel at most this many test problems per level
     */
    public LmMetrics evaluate(LabData data, int maxFacts, int maxProblemsPerLevel, int sequenceLength) {
        double ppl = perplexity(data.textStream(Split.TEST), sequenceLength);
        List<Fact> facts = spread(data.corpus().facts().facts().train(), maxFacts);
        Map<String, int[]> byRelation = new TreeMap<>();
        int hits = 0;
        int paraphraseHits = 0;
        boolean[] main = recall(facts, f -> f.filledPrompt());
        boolean[] para = recall(facts, f -> f.paraphrasePrompts().isEmpty() ? f.filledPrompt()
                : f.paraphrasePrompts().get(f.paraphrasePrompts().size() - 1));
        for (int i = 0; i < facts.size(); i++) {
            int[] c = byRelation.computeIfAbsent(facts.get(i).relation().name().toLowerCase(), k -> new int[2]);
            c[1]++;
            if (main[i]) {
                c[0]++;
                hits++;
            }
            if (para[i]) {
                paraphraseHits++;
            }
        }
        Map<String, Double> recallByRelation = new LinkedHashMap<>();
        byRelation.forEach((k, v) -> recallByRelation.put(k, (double) v[0] / v[1]));
        Map<Integer, List<WordProblem>> problems = new TreeMap<>();
        for (WordProblem p : data.corpus().arithmetic().problems().test()) {
            problems.computeIfAbsent(p.level(), k -> new ArrayList<>()).add(p);
        }
        Map<Integer, Double> accuracy = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        problems.forEach((level, list) -> {
            List<WordProblem> chosen = spread(list, maxProblemsPerLevel);
            accuracy.put(level, arithmetic(chosen));
            counts.put(level, chosen.size());
        });
        return new LmMetrics(ppl, facts.isEmpty() ? 0 : (double) hits / facts.size(), recallByRelation,
                facts.isEmpty() ? 0 : (double) paraphraseHits / facts.size(), accuracy, facts.size(), counts);
    }

    /** exp(mean next-token loss) over windows of the stream, 8 windows a batch. */
    public double perplexity(int[] stream, int sequenceLength) {
        return Perplexity.ofStream(model, stream, sequenceLength, 8);
    }

    private boolean[] recall(List<Fact> facts, java.util.function.Function<Fact, String> prompt) {
        boolean[] out = new boolean[facts.size()];
        Generator generator = new Generator(model, null, pad);
        for (int start = 0; start < facts.size(); start += BATCH) {
            List<Fact> chunk = facts.subList(start, Math.min(facts.size(), start + BATCH));
            List<long[]> prompts = new ArrayList<>();
            int longest = 0;
            List<long[]> targets = new ArrayList<>();
            for (Fact f : chunk) {
                prompts.add(tokenizer.encode(prompt.apply(f)));
                long[] t = tokenizer.encode(f.target(), false);
                targets.add(t);
                longest = Math.max(longest, t.length);
            }
            Generation g = generator.generate(new GenerationRequest(prompts, longest, Sampling.greedyDecoding(), Set.of(),
                    List.of(), true));
            for (int i = 0; i < chunk.size(); i++) {
                out[start + i] = ExactMatch.startsWith(g.newTokens().get(i), targets.get(i));
            }
        }
        return out;
    }

    /** Exact-match accuracy of greedy worked solutions on {@code problems}. */
    public double arithmeticAccuracy(List<WordProblem> problems) {
        return arithmetic(problems);
    }

    private double arithmetic(List<WordProblem> problems) {
        if (problems.isEmpty()) {
            return 0;
        }
        Generator generator = new Generator(model, tokenizer, pad);
        int correct = 0;
        for (int start = 0; start < problems.size(); start += BATCH) {
            List<WordProblem> chunk = problems.subList(start, Math.min(problems.size(), start + BATCH));
            List<long[]> prompts = new ArrayList<>();
            for (WordProblem p : chunk) {
                prompts.add(tokenizer.encode(DocumentFormats.arithmeticPrompt(p.question())));
            }
            Generation g = generator.generate(new GenerationRequest(prompts, 160, Sampling.greedyDecoding(), Set.of(eos),
                    List.of(), true));
            for (int i = 0; i < chunk.size(); i++) {
                Matcher m = ANSWER.matcher(g.texts().get(i));
                if (m.find() && Long.parseLong(m.group(1)) == chunk.get(i).answer()) {
                    correct++;
                }
            }
        }
        return (double) correct / problems.size();
    }

    /** Up to {@code max} items evenly spaced over the list (all of them if there are fewer). */
    static <T> List<T> spread(List<T> items, int max) {
        if (items.size() <= max) {
            return items;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            out.add(items.get((int) ((long) i * items.size() / max)));
        }
        return out;
    }
}
