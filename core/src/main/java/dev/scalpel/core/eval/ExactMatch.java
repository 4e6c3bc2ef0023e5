package dev.scalpel.core.eval;

/** Whether generated tokens give the wanted answer exactly: the lab's fact recall, and any task scored by exact match. */
public final class ExactMatch {
    private ExactMatch() {
    }

    /** Whether {@code generated} begins with every token of {@code target} (what follows the answer is not judged). */
    public static boolean startsWith(long[] generated, long[] target) {
        if (generated.length < target.length) {
            return false;
        }
        for (int i = 0; i < target.length; i++) {
            if (generated[i] != target[i]) {
                return false;
            }
        }
        return true;
    }

    /** The share of {@code hits} that are true; NaN for none. */
    public static double accuracy(boolean[] hits) {
        if (hits.length == 0) {
            return Double.NaN;
        }
        int n = 0;
        for (boolean h : hits) {
            n += h ? 1 : 0;
        }
        return (double) n / hits.length;
    }
}
