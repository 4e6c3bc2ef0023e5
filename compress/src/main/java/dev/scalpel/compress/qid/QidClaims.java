package dev.scalpel.compress.qid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The QiD paper's three qualitative claims, checked on a ladder's cells: QiD grows with training tokens (at a fixed size,
 * width and method), falls with model size (at a fixed token count, width and method) and explodes at low bit widths
 * (at a fixed checkpoint and method). Each claim is scored as the share of the comparisons it makes that go its way.
 */
public final class QidClaims {
    /**
     * One claim's score.
     *
     * @param holds comparisons that go the claimed way
     * @param comparisons comparisons made
     * @param rankCorrelation the mean Spearman correlation over the groups (tokens and size claims; NaN for bits)
     */
    public record Claim(String name, String statement, int holds, int comparisons, double rankCorrelation) {
        public double share() {
            return comparisons == 0 ? Double.NaN : (double) holds / comparisons;
        }
    }

    private QidClaims() {
    }

    public static List<Claim> of(List<QidLadder.Cell> cells) {
        return List.of(growsWithTokens(cells), fallsWithSize(cells), explodesAtLowBits(cells));
    }

    /** Within each (size, width, method): every pair of checkpoints, the later one should have the larger QiD. */
    static Claim growsWithTokens(List<QidLadder.Cell> cells) {
        return pairwise("tokens", "QiD grows with training tokens", group(cells, c -> c.model() + "|" + c.bits() + "|"
                + c.method()), QidLadder.Cell::tokens, true);
    }

    /** Within each (checkpoint tokens, width, method): every pair of sizes, the larger should have the smaller QiD. */
    static Claim fallsWithSize(List<QidLadder.Cell> cells) {
        return pairwise("size", "QiD falls with model size", group(cells, c -> c.tokens() + "|" + c.bits() + "|"
                + c.method()), QidLadder.Cell::parameters, false);
    }

    /** Within each (checkpoint, method): each narrower width should have a larger QiD than the next wider one. */
    static Claim explodesAtLowBits(List<QidLadder.Cell> cells) {
        int holds = 0;
        int comparisons = 0;
        for (List<QidLadder.Cell> g : group(cells, c -> c.model() + "|" + c.checkpoint() + "|" + c.method()).values()) {
            List<QidLadder.Cell> byBits = g.stream().sorted(Comparator.comparingInt(QidLadder.Cell::bits)).toList();
            for (int i = 0; i + 1 < byBits.size(); i++) {
                comparisons++;
                if (byBits.get(i).qid() > byBits.get(i + 1).qid()) {
                    holds++;
                }
            }
        }
        return new Claim("bits", "QiD explodes at low bit widths (each narrower width degrades more)", holds, comparisons,
                Double.NaN);
    }

    private static Map<String, List<QidLadder.Cell>> group(List<QidLadder.Cell> cells,
                                                           java.util.function.Function<QidLadder.Cell, String> key) {
        return cells.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }

    private static Claim pairwise(String name, String statement, Map<String, List<QidLadder.Cell>> groups,
                                  java.util.function.ToDoubleFunction<QidLadder.Cell> axis, boolean increasing) {
        int holds = 0;
        int comparisons = 0;
        double correlation = 0;
        int correlated = 0;
        for (List<QidLadder.Cell> g : groups.values()) {
            for (int i = 0; i < g.size(); i++) {
                for (int j = 0; j < g.size(); j++) {
                    QidLadder.Cell a = g.get(i);
                    QidLadder.Cell b = g.get(j);
                    if (axis.applyAsDouble(a) < axis.applyAsDouble(b)) {
                        comparisons++;
                        if (increasing ? b.qid() > a.qid() : b.qid() < a.qid()) {
                            holds++;
                        }
                    }
                }
            }
            if (g.size() > 2) {
                correlation += spearman(g.stream().mapToDouble(axis).toArray(),
                        g.stream().mapToDouble(QidLadder.Cell::qid).toArray());
                correlated++;
            }
        }
        return new Claim(name, statement, holds, comparisons, correlated == 0 ? Double.NaN : correlation / correlated);
    }

    /** Spearman's rank correlation (average ranks for ties). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += rx[i] / x.length;
            my += ry[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order.get(j + 1)] == v[order.get(i)]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order.get(k)] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}
