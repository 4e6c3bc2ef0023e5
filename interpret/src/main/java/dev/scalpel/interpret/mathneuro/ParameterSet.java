package dev.scalpel.interpret.mathneuro;

import dev.scalpel.core.model.LinearModule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A set of weights: per linear module, sorted flat indices into its [out, in] weight. MathNeuro's sets are chosen per
 * matrix (flattened, not per row): the top int(numel x K) scores of each module, and the target-specific set is the
 * target's top-K minus the general task's.
 */
public record ParameterSet(Map<String, Module> modules) {
    /** One module's chosen entries. */
    public record Module(LinearModule module, int[] indices) {
        public int numel() {
            return module.inFeatures() * module.outFeatures();
        }
    }

    public ParameterSet {
        modules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** Per module, the top int(numel x proportion) entries by score; equal scores are taken in index order. */
    public static ParameterSet topK(Map<String, ImportanceScores.ModuleScores> scores, double proportion) {
        if (!(proportion >= 0 && proportion <= 1)) {
            throw new IllegalArgumentException("the proportion K is a fraction in [0, 1], not " + proportion);
        }
        Map<String, Module> out = new LinkedHashMap<>();
        for (var e : scores.entrySet()) {
            float[] s = e.getValue().scores();
            int k = (int) (s.length * proportion);
            out.put(e.getKey(), new Module(e.getValue().module(), top(s, k)));
        }
        return new ParameterSet(out);
    }

    /** The {@code k} largest entries' indices, sorted; among equal scores at the threshold the lowest indices. */
    static int[] top(float[] s, int k) {
        if (k == 0) {
            return new int[0];
        }
        float[] sorted = s.clone();
        Arrays.sort(sorted);
        float threshold = sorted[s.length - k];
        int above = 0;
        for (float v : s) {
            if (v > threshold) {
                above++;
            }
        }
        int atThreshold = k - above;
        int[] out = new int[k];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] > threshold || (s[i] == threshold && atThreshold-- > 0)) {
                out[n++] = i;
            }
        }
        return out;
    }

    /** This set without {@code other}'s entries, module by module (the target-specific set: target minus general). */
    public ParameterSet minus(ParameterSet other) {
        Map<String, Module> out = new LinkedHashMap<>();
        modules.forEach((name, m) -> {
            Module o = other.modules.get(name);
            int[] kept = o == null ? m.indices() : Arrays.stream(m.indices())
                    .filter(i -> Arrays.binarySearch(o.indices(), i) < 0).toArray();
            out.put(name, new Module(m.module(), kept));
        });
        return new ParameterSet(out);
    }

    /** Entries in both sets. */
    public long overlap(ParameterSet other) {
        long n = 0;
        for (var e : modules.entrySet()) {
            Module o = other.modules.get(e.getKey());
            if (o != null) {
                for (int i : e.getValue().indices()) {
                    n += Arrays.binarySearch(o.indices(), i) >= 0 ? 1 : 0;
                }
            }
        }
        return n;
    }

    /** Random entries, the same count in each module as this set (the paper's random baseline), drawn with {@code seed}. */
    public ParameterSet randomLike(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Module> out = new LinkedHashMap<>();
        modules.forEach((name, m) -> out.put(name, new Module(m.module(), sample(random.split(), m.numel(),
                m.indices().length))));
        return new ParameterSet(out);
    }

    /** {@code k} distinct indices of [0, n), sorted (Floyd's algorithm). */
    private static int[] sample(SplittableRandom random, int n, int k) {
        java.util.BitSet chosen = new java.util.BitSet(n);
        for (int j = n - k; j < n; j++) {
            int t = random.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        return chosen.stream().toArray();
    }

    /** Entries in the set. */
    public long count() {
        return modules.values().stream().mapToLong(m -> m.indices().length).sum();
    }

    /** The set's entries per module, in module order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        modules.forEach((name, m) -> out.put(name, m.indices().length));
        return out;
    }

    /** The set's share of the modules' weights. */
    public double share() {
        long total = modules.values().stream().mapToLong(Module::numel).sum();
        return total == 0 ? 0 : (double) count() / total;
    }

    public List<String> names() {
        return List.copyOf(modules.keySet());
    }
}
