package dev.scalpel.interpret.mathneuro;

import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MathNeuro's identification, end to end: score every weight on N samples of the target task and N of the general
 * task, take each matrix's top K% for both, and keep the target's that are not the general task's.
 *
 * @param target the target task's top-K set (the "Wanda" baseline: no filtering)
 * @param general the general task's top-K set
 * @param specific target minus general: the task-specific parameters
 */
public record Identification(Config config, ParameterSet target, ParameterSet general, ParameterSet specific) {
    /**
     * @param proportion K, the share of each matrix's weights taken as its top set
     * @param samples N, the samples drawn (with replacement) from each task
     * @param seed the draw's seed
     */
    public record Config(double proportion, int samples, long seed) {
        public Config {
            if (samples < 1) {
                throw new IllegalArgumentException("MathNeuro needs at least one sample per task, not " + samples);
            }
        }
    }

    public static Identification run(TransformerModel model, Tokenizer tokenizer, List<String> targetTexts,
                                     List<String> generalTexts, Config config) {
        return of(Scores.of(model, tokenizer, targetTexts, generalTexts, config.samples(), config.seed()),
                config.proportion());
    }

    /**
     * Both tasks' scores from one draw: the target's samples drawn with {@code seed}, the general task's with
     * {@code seed + 1}. They do not depend on K, so a sweep over K scores once.
     */
    public record Scores(int samples, long seed, Map<String, ImportanceScores.ModuleScores> target,
                         Map<String, ImportanceScores.ModuleScores> general) {
        public static Scores of(TransformerModel model, Tokenizer tokenizer, List<String> targetTexts,
                                List<String> generalTexts, int samples, long seed) {
            return new Scores(samples, seed,
                    ImportanceScores.of(model, tokens(model, tokenizer, TaskTexts.draw(targetTexts, samples, seed))),
                    ImportanceScores.of(model, tokens(model, tokenizer, TaskTexts.draw(generalTexts, samples, seed + 1))));
        }
    }

    /** The sets at one K from scores already computed. */
    public static Identification of(Scores scores, double proportion) {
        ParameterSet target = ParameterSet.topK(scores.target(), proportion);
        ParameterSet general = ParameterSet.topK(scores.general(), proportion);
        return new Identification(new Config(proportion, scores.samples(), scores.seed()), target, general,
                target.minus(general));
    }

    /** Each text's token ids, cut to the model's context (one forward pass each). */
    public static List<long[]> tokens(TransformerModel model, Tokenizer tokenizer, List<String> texts) {
        int context = model.config().maxPositions();
        return texts.stream().map(t -> {
            long[] ids = tokenizer.encode(t, true);
            return ids.length > context ? Arrays.copyOf(ids, context) : ids;
        }).filter(ids -> ids.length > 0).toList();
    }

    /** Where a set lies: its entries per layer and per matrix type, and its share of the modules' weights. */
    public static Map<String, Object> spread(ParameterSet set) {
        Map<Integer, Long> byLayer = new TreeMap<>();
        Map<String, Long> byRole = new TreeMap<>();
        set.modules().values().forEach(m -> {
            byLayer.merge(m.module().layer(), (long) m.indices().length, Long::sum);
            byRole.merge(m.module().role().name().toLowerCase(java.util.Locale.ROOT), (long) m.indices().length, Long::sum);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", set.count());
        out.put("share_of_linear_weights", set.share());
        out.put("by_layer", byLayer);
        out.put("by_matrix_type", byRole);
        return out;
    }
}
