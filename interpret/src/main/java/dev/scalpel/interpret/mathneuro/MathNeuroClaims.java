package dev.scalpel.interpret.mathneuro;

import dev.scalpel.core.eval.MeanInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * MathNeuro's claims read off a sweep's cells, with 95% intervals over repeats. Pruning: the target-specific set's
 * removal collapses the target metric (to at most half of the unmodified model's) while each general metric degrades
 * no more than under random pruning of the same per-matrix counts (MathNeuro's mean degradation within the random
 * baseline's interval or below it). Scaling: a factor above 1 raises the target metric without degrading the general
 * ones.
 */
public final class MathNeuroClaims {
    /** A measured metric and which way is better. */
    public record Metric(String name, boolean higherIsBetter) {
        /** How much worse {@code value} is than {@code base}: a difference for scores, a relative rise for perplexity. */
        public double degradation(double value, double base) {
            return higherIsBetter ? base - value : value / base - 1;
        }
    }

    /** Pruning at one K. */
    public record Pruning(double proportion, MeanInterval share, MeanInterval target, MeanInterval targetRandom,
                          Map<String, MeanInterval> generalDegradation, Map<String, MeanInterval> generalDegradationRandom,
                          boolean collapses, boolean generalNoWorseThanRandom) {
        public boolean holds() {
            return collapses && generalNoWorseThanRandom;
        }
    }

    /** Scaling at one K and factor: the target's gain and the general metrics' degradation. */
    public record Scaling(double proportion, double factor, MeanInterval targetGain,
                          Map<String, MeanInterval> generalDegradation) {
        /** The gain's interval lies above 0 and no general metric's degradation interval lies above 0. */
        public boolean holds() {
            return targetGain.excludes(0) && targetGain.mean() > 0
                    && generalDegradation.values().stream().noneMatch(d -> d.excludes(0) && d.mean() > 0);
        }
    }

    private MathNeuroClaims() {
    }

    static double base(List<MathNeuroSweep.Cell> cells, String metric) {
        return cells.stream().filter(c -> c.method().equals("none")).findFirst().orElseThrow(() ->
                new IllegalArgumentException("the sweep has no unmodified cell")).metrics().get(metric);
    }

    private static double[] values(List<MathNeuroSweep.Cell> cells, String method, double k, double factor,
                                    java.util.function.ToDoubleFunction<MathNeuroSweep.Cell> of) {
        return cells.stream().filter(c -> c.method().equals(method) && c.proportion() == k && c.factor() == factor)
                .mapToDouble(of).toArray();
    }

    public static List<Pruning> pruning(List<MathNeuroSweep.Cell> cells, Metric target, List<Metric> general) {
        double targetBase = base(cells, target.name());
        List<Pruning> out = new ArrayList<>();
        TreeSet<Double> ks = new TreeSet<>();
        cells.stream().filter(c -> c.method().equals("mathneuro") && c.factor() == 0).forEach(c -> ks.add(c.proportion()));
        for (double k : ks) {
            double[] ours = values(cells, "mathneuro", k, 0, c -> c.metrics().get(target.name()));
            double[] random = values(cells, "random", k, 0, c -> c.metrics().get(target.name()));
            Map<String, MeanInterval> degradation = new LinkedHashMap<>();
            Map<String, MeanInterval> degradationRandom = new LinkedHashMap<>();
            boolean noWorse = true;
            for (Metric g : general) {
                double b = base(cells, g.name());
                MeanInterval d = MeanInterval.of(values(cells, "mathneuro", k, 0, c -> g.degradation(c.metrics().get(g.name()), b)));
                degradation.put(g.name(), d);
                double[] r = values(cells, "random", k, 0, c -> g.degradation(c.metrics().get(g.name()), b));
                if (r.length > 0) {
                    MeanInterval dr = MeanInterval.of(r);
                    degradationRandom.put(g.name(), dr);
                    noWorse &= d.mean() <= (dr.hasInterval() ? dr.high() : dr.mean());
                } else {
                    noWorse = false;
                }
            }
            MeanInterval t = MeanInterval.of(ours);
            // A model that scores nothing on the target has nothing to lose: no collapse can be shown.
            boolean collapses = target.higherIsBetter() ? targetBase > 0 && t.mean() <= targetBase / 2
                    : t.mean() >= 2 * targetBase;
            out.add(new Pruning(k, MeanInterval.of(values(cells, "mathneuro", k, 0, MathNeuroSweep.Cell::share)), t,
                    random.length == 0 ? null : MeanInterval.of(random), degradation, degradationRandom, collapses, noWorse));
        }
        return out;
    }

    public static List<Scaling> scaling(List<MathNeuroSweep.Cell> cells, Metric target, List<Metric> general) {
        double targetBase = base(cells, target.name());
        List<Scaling> out = new ArrayList<>();
        cells.stream().filter(c -> c.method().equals("mathneuro") && c.factor() > 1)
                .map(c -> List.of(c.proportion(), c.factor())).distinct().forEach(kf -> {
                    double k = kf.get(0);
                    double f = kf.get(1);
                    MeanInterval gain = MeanInterval.of(values(cells, "mathneuro", k, f,
                            c -> -target.degradation(c.metrics().get(target.name()), targetBase)));
                    Map<String, MeanInterval> degradation = new LinkedHashMap<>();
                    for (Metric g : general) {
                        double b = base(cells, g.name());
                        degradation.put(g.name(), MeanInterval.of(values(cells, "mathneuro", k, f,
                                c -> g.degradation(c.metrics().get(g.name()), b))));
                    }
                    out.add(new Scaling(k, f, gain, degradation));
                });
        return out;
    }
}
