package dev.scalpel.interpret.mathneuro;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.FinishedLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * MathNeuro's experiments as one resumable grid: for each repeat (its own draw of samples) and each K, the set a method
 * picks is multiplied by a factor in a fresh copy of the model and the copy is evaluated. Methods: MathNeuro's
 * target-specific set, the Wanda-style target top-K, random weights with MathNeuro's per-matrix counts, and LAPE's
 * target neurons. Each cell is appended to {@code cells.jsonl} as it finishes, keyed by the weights, both tasks' texts,
 * the evaluator and the cell's own settings; the unmodified model is the cell of method {@code none}.
 */
public final class MathNeuroSweep {
    /** What is measured on each model: named metrics (accuracy, perplexity, recall). */
    public interface Evaluator {
        /** A name that changes whenever what it measures changes (its data, its sizes): part of every cell's key. */
        String id();

        Map<String, Double> evaluate(LoadedModel model);
    }

    public enum Method {
        NONE, MATHNEURO, WANDA, RANDOM, LAPE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param proportions the K values
     * @param samples N, samples per task per repeat
     * @param repeats independent draws (repeat r draws with seed r)
     * @param factors the multipliers (0 prunes)
     */
    public record Config(List<Double> proportions, int samples, int repeats, List<Method> methods, List<Double> factors) {
        public Config {
            proportions = List.copyOf(proportions);
            methods = List.copyOf(methods);
            factors = List.copyOf(factors);
        }
    }

    /** One finished cell. */
    public record Cell(String key, String method, double proportion, int samples, int repeat, double factor, long entries,
                       double share, Map<String, Double> metrics, double seconds) {
    }

    private final Path modelFolder;
    private final List<String> targetTexts;
    private final List<String> generalTexts;
    private final Evaluator evaluator;
    private final Path work;
    private final Consumer<String> log;
    private double[][][] lapeProbabilities;

    public MathNeuroSweep(Path modelFolder, List<String> targetTexts, List<String> generalTexts, Evaluator evaluator,
                          Path work, Consumer<String> log) {
        this.modelFolder = modelFolder;
        this.targetTexts = List.copyOf(targetTexts);
        this.generalTexts = List.copyOf(generalTexts);
        this.evaluator = evaluator;
        this.work = work;
        this.log = log;
    }

    public List<Cell> run(Config config) {
        Path file = work.resolve("cells.jsonl");
        Map<String, Cell> done;
        try {
            Files.createDirectories(work);
            done = FinishedLines.read(file, Cell.class, Cell::key);
        } catch (IOException e) {
            throw new UncheckedIOException(work + ": cannot prepare the sweep's folder", e);
        }
        String base;
        try (LoadedModel original = LoadedModel.open(modelFolder)) {
            base = String.join("|", WeightFingerprint.of(original.model()), Sha256.ofTexts(targetTexts),
                    Sha256.ofTexts(generalTexts), evaluator.id());
        }
        List<Cell> cells = new ArrayList<>();
        cells.add(cell(done, file, base, Method.NONE, 0, 0, 0, 1, null));
        for (int repeat = 0; repeat < config.repeats(); repeat++) {
            Identification.Scores scores = null;
            lapeProbabilities = null;   // a repeat's draw: computed once, used at every K
            for (double k : config.proportions()) {
                for (Method method : config.methods()) {
                    for (double factor : config.factors()) {
                        String key = key(base, method, k, config.samples(), repeat, factor);
                        if (done.containsKey(key)) {
                            cells.add(done.get(key));
                            continue;
                        }
                        if (scores == null) {
                            try (LoadedModel m = LoadedModel.open(modelFolder)) {
                                scores = Identification.Scores.of(m.model(), m.requireTokenizer(), targetTexts,
                                        generalTexts, config.samples(), repeat);
                            }
                        }
                        Identification.Scores s = scores;
                        int r = repeat;
                        cells.add(cell(done, file, base, method, k, config.samples(), repeat, factor,
                                m -> choose(m, s, method, k, config.samples(), r)));
                    }
                }
            }
        }
        return cells;
    }

    private static String key(String base, Method method, double k, int samples, int repeat, double factor) {
        return Sha256.of(String.join("|", base, method.label(), Double.toString(k), Integer.toString(samples),
                Integer.toString(repeat), Double.toString(factor)));
    }

    private ParameterSet choose(LoadedModel m, Identification.Scores scores, Method method, double k, int samples,
                                int repeat) {
        Identification id = Identification.of(scores, k);
        return switch (method) {
            case MATHNEURO -> id.specific();
            case WANDA -> id.target();
            case RANDOM -> id.specific().randomLike(repeat);
            case LAPE -> {
                if (lapeProbabilities == null) {
                    List<List<long[]>> tasks = List.of(
                            Identification.tokens(m.model(), m.requireTokenizer(), TaskTexts.draw(generalTexts, samples, repeat + 1)),
                            Identification.tokens(m.model(), m.requireTokenizer(), TaskTexts.draw(targetTexts, samples, repeat)));
                    lapeProbabilities = Lape.probabilities(m.model(), tasks);
                }
                yield Lape.asWeights(m.model(), Lape.select(lapeProbabilities, Lape.Config.reference(k)).get(1));
            }
            case NONE -> throw new IllegalArgumentException("the unmodified model has no set");
        };
    }

    private Cell cell(Map<String, Cell> done, Path file, String base, Method method, double k, int samples, int repeat,
                      double factor, java.util.function.Function<LoadedModel, ParameterSet> chooser) {
        String key = key(base, method, k, samples, repeat, factor);
        Cell cached = done.get(key);
        if (cached != null) {
            return cached;
        }
        long start = System.nanoTime();
        try (LoadedModel m = LoadedModel.open(modelFolder)) {
            long entries = 0;
            double share = 0;
            if (chooser != null) {
                ParameterSet set = chooser.apply(m);
                entries = Intervention.scale(m.model(), set, (float) factor);
                share = set.share();
            }
            Map<String, Double> metrics = new LinkedHashMap<>(evaluator.evaluate(m));
            Cell c = new Cell(key, method.label(), k, samples, repeat, factor, entries, share, metrics,
                    (System.nanoTime() - start) / 1e9);
            FinishedLines.append(file, c);
            done.put(key, c);
            log.accept(String.format(Locale.ROOT, "%s K=%s N=%d repeat %d factor %s: %,d weights (%.3f%%) %s",
                    method.label(), k, samples, repeat, factor, entries, 100 * share, metrics));
            return c;
        }
    }

    /** How much of the reference set (many samples) a set from fewer samples recovers: |both| / |reference|. */
    public static double recovered(ParameterSet fewer, ParameterSet reference) {
        return reference.count() == 0 ? Double.NaN : (double) fewer.overlap(reference) / reference.count();
    }
}
