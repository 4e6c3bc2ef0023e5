package dev.scalpel.interpret.mathneuro;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * LAPE (Tang et al., "Language-Specific Neurons", 2024), MathNeuro's neuron-level baseline, as MathNeuro's LAPE.py
 * implements it: each MLP neuron's activation probability per task (the share of tokens where its activation is
 * positive), the entropy of those probabilities normalized over tasks, and the lowest-entropy neurons among those
 * active enough; a task's neurons are the selected ones whose probability on it clears the activation bar. Both the
 * filter and the bar are the 95th percentile of all probabilities, as in the reference.
 *
 * <p>Three differences from the reference, each a fix: the probability is over tokens (the reference divides the
 * count of active tokens, padding included, by the number of sequences); each task's counts are its own (the
 * reference's counters run on across tasks); and every drawn sample is used (the reference's sample file is rewritten
 * per sample and keeps one).
 */
public final class Lape {
    /**
     * @param topRate the share of all neurons selected by entropy (the reference's ratio)
     * @param filterRate the percentile a neuron's highest probability must exceed to be eligible (0.95)
     * @param activationBarRatio the percentile a task's probability must exceed for the neuron to be the task's (0.95)
     */
    public record Config(double topRate, double filterRate, double activationBarRatio) {
        public static Config reference(double topRate) {
            return new Config(topRate, 0.95, 0.95);
        }
    }

    /**
     * @param probabilities [layer][neuron][task] activation probabilities
     * @param neurons per task, per layer, its neurons (sorted)
     */
    public record Result(double[][][] probabilities, List<Map<Integer, int[]>> neurons) {
    }

    private Lape() {
    }

    /** Every MLP neuron's activation probability on each task (the tasks' samples, one forward pass each). */
    public static double[][][] probabilities(TransformerModel model, List<List<long[]>> tasks) {
        int layers = model.config().numLayers();
        List<String> hooks = IntStream.range(0, layers).mapToObj(l -> HookNames.block(l, HookNames.MLP_PRE)).toList();
        ActivationStream stream = ActivationStream.of(model, hooks).lastPositionOnly();
        double[][][] p = null;
        for (int t = 0; t < tasks.size(); t++) {
            long[][] active = new long[layers][];
            long tokens = 0;
            for (long[] sample : tasks.get(t)) {
                tokens += sample.length;
                stream.forward(TokenBatch.right(List.of(sample), 0), pass -> {
                    for (int l = 0; l < layers; l++) {
                        // act(x) > 0 exactly where x > 0 for SiLU, GELU and ReLU: the pre-activation decides.
                        NDArray positive = pass.at(hooks.get(l)).gt(0f).sum(new int[] {0, 1});
                        long[] counts = positive.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                        if (active[l] == null) {
                            active[l] = new long[counts.length];
                        }
                        for (int n = 0; n < counts.length; n++) {
                            active[l][n] += counts[n];
                        }
                    }
                    return null;
                });
            }
            if (tokens == 0) {
                throw new ScalpelException("LAPE: task " + t + " has no tokens");
            }
            if (p == null) {
                p = new double[layers][active[0].length][tasks.size()];
            }
            for (int l = 0; l < layers; l++) {
                for (int n = 0; n < active[l].length; n++) {
                    p[l][n][t] = (double) active[l][n] / tokens;
                }
            }
        }
        return p;
    }

    /** The selection from the probabilities ([layer][neuron][task]). */
    public static List<Map<Integer, int[]>> select(double[][][] p, Config config) {
        int layers = p.length;
        int width = p[0].length;
        int tasks = p[0][0].length;
        double[] all = Arrays.stream(p).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).sorted().toArray();
        double filter = kth(all, config.filterRate());
        double bar = kth(all, config.activationBarRatio());
        double[] entropy = new double[layers * width];
        for (int l = 0; l < layers; l++) {
            for (int n = 0; n < width; n++) {
                double[] probs = p[l][n];
                double sum = Arrays.stream(probs).sum();
                boolean eligible = Arrays.stream(probs).anyMatch(v -> v > filter);
                double h = 0;
                for (double v : probs) {
                    double q = sum > 0 ? v / sum : 0;
                    h -= q > 0 ? q * Math.log(q) : 0;
                }
                entropy[l * width + n] = eligible ? h : Double.POSITIVE_INFINITY;
            }
        }
        int k = (int) Math.round(entropy.length * config.topRate());
        Integer[] order = IntStream.range(0, entropy.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> entropy[i]).thenComparingInt(i -> i));
        List<Map<Integer, List<Integer>>> chosen = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            chosen.add(new java.util.TreeMap<>());
        }
        for (int r = 0; r < k; r++) {
            int flat = order[r];
            int l = flat / width;
            int n = flat % width;
            for (int t = 0; t < tasks; t++) {
                if (p[l][n][t] > bar) {
                    chosen.get(t).computeIfAbsent(l, x -> new ArrayList<>()).add(n);
                }
            }
        }
        List<Map<Integer, int[]>> out = new ArrayList<>();
        for (Map<Integer, List<Integer>> task : chosen) {
            Map<Integer, int[]> layersOf = new LinkedHashMap<>();
            task.forEach((l, ns) -> layersOf.put(l, ns.stream().mapToInt(Integer::intValue).sorted().toArray()));
            out.add(layersOf);
        }
        return out;
    }

    /** The k-th smallest value, k = round(n x rate) (torch.kthvalue's 1-based k). */
    private static double kth(double[] sorted, double rate) {
        int k = (int) Math.round(sorted.length * rate);
        return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
    }

    public static Result run(TransformerModel model, List<List<long[]>> tasks, Config config) {
        double[][][] p = probabilities(model, tasks);
        return new Result(p, select(p, config));
    }

    /**
     * A task's neurons as weights: scaling a neuron's activation is scaling its column of the MLP's down projection
     * (the reference scales act(gate) before the product with up; the down projection is linear in it).
     */
    public static ParameterSet asWeights(TransformerModel model, Map<Integer, int[]> neurons) {
        Map<String, ParameterSet.Module> out = new LinkedHashMap<>();
        for (LinearModule m : model.linearModules()) {
            if (m.role() != LinearModule.Role.MLP_DOWN) {
                continue;
            }
            int[] ns = neurons.getOrDefault(m.layer(), new int[0]);
            int in = m.inFeatures();
            int[] flat = new int[ns.length * m.outFeatures()];
            int at = 0;
            for (int o = 0; o < m.outFeatures(); o++) {
                for (int n : ns) {
                    flat[at++] = o * in + n;
                }
            }
            Arrays.sort(flat);
            out.put(m.name(), new ParameterSet.Module(m, flat));
        }
        return new ParameterSet(out);
    }
}
