package dev.scalpel.lab.build;

import dev.scalpel.core.eval.ExactMatch;
import dev.scalpel.core.eval.Perplexity;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.baseline.KneserNey;
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

/**
 * Measures a lab causal LM: perplexity on held-out prose beside an interpolated Kneser-Ney 4-gram model trained on the
 * training prose (the classical anchor), recall of trained facts in their main phrasing and in phrasings never trained
 * with them, and accuracy on held-out arithmetic by level.
 */
public final class LmEvaluator {
    private static final Pattern ANSWER = Pattern.compile("The answer is (-?\\d+)\\.");
    private static final int BATCH = 32;
    /** Windows per perplexity batch; the n-gram baseline scores the same windows. */
    static final int PERPLEXITY_ROWS = 8;

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
     * Every metric on {@code split}'s held-out prose and problems (validation to choose a recipe, test once for the
     * report); facts are the trained ones whatever the split, asked in their main and in their unseen phrasings.
     *
     * @param maxFacts at most this many trained facts are checked (evenly spaced over the list)
     * @param maxProblemsPerLevel at most this many problems per level
     */
    public LmMetrics evaluate(LabData data, Split split, int maxFacts, int maxProblemsPerLevel, int sequenceLength) {
        int[] prose = data.proseStream(split);
        double ppl = perplexity(prose, sequenceLength);
        double kn4 = KneserNey.train(data.proseStream(Split.TRAIN), 4, model.config().vocabSize())
                .perplexity(prose, sequenceLength, PERPLEXITY_ROWS);
        List<Fact> facts = spread(data.corpus().facts().facts().train(), maxFacts);
        Map<String, int[]> byRelation = new TreeMap<>();
        boolean[] main = recall(facts.stream().map(f -> new Cloze(f.filledPrompt(), f.target())).toList());
        int hits = 0;
        for (int i = 0; i < facts.size(); i++) {
            int[] c = byRelation.computeIfAbsent(facts.get(i).relation().name().toLowerCase(), k -> new int[2]);
            c[1]++;
            if (main[i]) {
                c[0]++;
                hits++;
            }
        }
        Map<String, Double> recallByRelation = new LinkedHashMap<>();
        byRelation.forEach((k, v) -> recallByRelation.put(k, (double) v[0] / v[1]));
        double paraphrase = share(recall(clozes(facts, Fact::paraphrasePrompts)));
        double heldOut = share(recall(clozes(facts, Fact::heldOutPrompts)));
        Map<Integer, List<WordProblem>> problems = problemsByLevel(data, split);
        Map<Integer, Double> accuracy = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        problems.forEach((level, list) -> {
            List<WordProblem> chosen = spread(list, maxProblemsPerLevel);
            accuracy.put(level, arithmetic(chosen));
            counts.put(level, chosen.size());
        });
        return new LmMetrics(split.fileName(), ppl, kn4, facts.isEmpty() ? 0 : (double) hits / facts.size(),
                recallByRelation, paraphrase, heldOut, accuracy, facts.size(), counts);
    }

    /**
     * The metrics a sweep over many variants of one model reads: prose perplexity, recall of the trained facts in their
     * main phrasing, and arithmetic accuracy per level and their mean. It leaves out what {@link #evaluate} adds (the
     * 4-gram baseline, retrained on every call, and the paraphrase recalls), which is most of its time.
     */
    public Map<String, Double> essentials(LabData data, Split split, int maxFacts, int maxProblemsPerLevel,
                                          int sequenceLength) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<Fact> facts = spread(data.corpus().facts().facts().train(), maxFacts);
        Map<Integer, List<WordProblem>> problems = problemsByLevel(data, split);
        double sum = 0;
        Map<String, Double> levels = new LinkedHashMap<>();
        for (var e : problems.entrySet()) {
            double a = arithmetic(spread(e.getValue(), maxProblemsPerLevel));
            levels.put("arithmetic_level" + e.getKey(), a);
            sum += a;
        }
        out.put("arithmetic", problems.isEmpty() ? Double.NaN : sum / problems.size());
        out.putAll(levels);
        out.put("prose_perplexity", perplexity(data.proseStream(split), sequenceLength));
        out.put("fact_recall", share(recall(facts.stream().map(f -> new Cloze(f.filledPrompt(), f.target())).toList())));
        return out;
    }

    /** The split's problems by level, in level order. */
    private static Map<Integer, List<WordProblem>> problemsByLevel(LabData data, Split split) {
        Map<Integer, List<WordProblem>> problems = new TreeMap<>();
        for (WordProblem p : data.corpus().arithmetic().problems().get(split)) {
            problems.computeIfAbsent(p.level(), k -> new ArrayList<>()).add(p);
        }
        return problems;
    }

    /** A prompt and the continuation that answers it. */
    private record Cloze(String prompt, String target) {
    }

    private static List<Cloze> clozes(List<Fact> facts, java.util.function.Function<Fact, List<String>> prompts) {
        List<Cloze> out = new ArrayList<>();
        for (Fact f : facts) {
            prompts.apply(f).forEach(p -> out.add(new Cloze(p, f.target())));
        }
        return out;
    }

    private static double share(boolean[] hits) {
        int n = 0;
        for (boolean h : hits) {
            n += h ? 1 : 0;
        }
        return hits.length == 0 ? 0 : (double) n / hits.length;
    }

    /** exp(mean next-token loss) over windows of the stream, {@value #PERPLEXITY_ROWS} windows a batch. */
    public double perplexity(int[] stream, int sequenceLength) {
        return Perplexity.ofStream(model, stream, sequenceLength, PERPLEXITY_ROWS);
    }

    private boolean[] recall(List<Cloze> clozes) {
        boolean[] out = new boolean[clozes.size()];
        Generator generator = new Generator(model, null, pad);
        for (int start = 0; start < clozes.size(); start += BATCH) {
            List<Cloze> chunk = clozes.subList(start, Math.min(clozes.size(), start + BATCH));
            List<long[]> prompts = new ArrayList<>();
            int longest = 0;
            List<long[]> targets = new ArrayList<>();
            for (Cloze c : chunk) {
                prompts.add(tokenizer.encode(c.prompt()));
                long[] t = tokenizer.encode(c.target(), false);
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
