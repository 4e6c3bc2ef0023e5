package dev.scalpel.interpret.data;

import dev.scalpel.core.ScalpelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stratified splits: every part keeps the class proportions of the whole, to within one example per class. They are
 * deterministic: the same labels and seed give the same indices on every run and machine ({@link Random} is specified
 * bit for bit), so all probes of a run, and reruns, are scored on the same examples. The indices are not
 * scikit-learn's (its permutations come from NumPy's generator); the proportions are.
 */
public final class StratifiedSplit {
    /** The method's held-out split: 20% of the examples, seed 42. */
    public static final double TEST_FRACTION = 0.2;
    public static final long SEED = 42;

    private StratifiedSplit() {
    }

    /**
     * A held-out split: {@code ceil(testFraction * n)} test examples (as scikit-learn's StratifiedShuffleSplit
     * counts them), shared out over the classes in proportion to their size, leftover examples going to the classes
     * with the largest fractional shares.
     *
     * @param y class ids, one per example
     * @throws ScalpelException if a class has fewer than two examples (it could not be on both sides)
     */
    public static TrainTestSplit holdOut(int[] y, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1): " + testFraction);
        }
        int[][] members = byClass(y, allRows(y.length));
        int n = y.length;
        int nTest = (int) Math.ceil(testFraction * n);
        int[] take = new int[members.length];
        double[] remainder = new double[members.length];
        int assigned = 0;
        for (int c = 0; c < members.length; c++) {
            if (members[c].length == 1) {
                throw new ScalpelException("class " + c + " has a single example; a stratified split needs at least two "
                        + "per class");
            }
            double share = (double) nTest * members[c].length / n;
            take[c] = (int) Math.floor(share);
            remainder[c] = share - take[c];
            assigned += take[c];
        }
        Integer[] order = new Integer[members.length];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Double.compare(remainder[b], remainder[a])
                : members[a].length != members[b].length ? Integer.compare(members[b].length, members[a].length)
                : Integer.compare(a, b));
        for (int i = 0; assigned < nTest && i < order.length; i++) {
            take[order[i]]++;
            assigned++;
        }
        Random random = new Random(seed);
        int[] test = new int[nTest];
        int[] train = new int[n];
        int t = 0;
        int r = 0;
        for (int c = 0; c < members.length; c++) {
            int[] m = members[c];
            shuffle(m, random);
            int k = Math.min(take[c], m.length - 1);   // a class always keeps a training example
            for (int i = 0; i < m.length; i++) {
                if (i < k) {
                    test[t++] = m[i];
                } else {
                    train[r++] = m[i];
                }
            }
        }
        return new TrainTestSplit(sorted(Arrays.copyOf(train, r)), sorted(Arrays.copyOf(test, t)));
    }

    /** {@link #kFold(int[], int[], int, long)} over all examples. */
    public static List<TrainTestSplit> kFold(int[] y, int k, long seed) {
        return kFold(y, allRows(y.length), k, seed);
    }

    /**
     * Stratified k-fold cross-validation over {@code rows} (indices into {@code y}; the returned indices are too):
     * each class's examples, shuffled, are dealt to the folds in turn, continuing the deal from class to class, so a
     * class's count differs by at most one between folds and so does a fold's size.
     */
    public static List<TrainTestSplit> kFold(int[] y, int[] rows, int k, long seed) {
        if (k < 2 || k > rows.length) {
            throw new IllegalArgumentException("k-fold needs 2 <= k <= examples, got k=" + k + " for " + rows.length
                    + " examples");
        }
        int[][] members = byClass(y, rows);
        Random random = new Random(seed);
        int[] fold = new int[y.length];
        Arrays.fill(fold, -1);
        int dealt = 0;
        for (int[] m : members) {
            shuffle(m, random);
            for (int row : m) {
                fold[row] = dealt++ % k;
            }
        }
        List<TrainTestSplit> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] train = new int[rows.length];
            int[] test = new int[rows.length];
            int a = 0;
            int b = 0;
            for (int row : sorted(rows.clone())) {
                if (fold[row] == f) {
                    test[b++] = row;
                } else {
                    train[a++] = row;
                }
            }
            folds.add(new TrainTestSplit(Arrays.copyOf(train, a), Arrays.copyOf(test, b)));
        }
        return folds;
    }

    /** The rows of each class, by class id, in the order given. */
    private static int[][] byClass(int[] y, int[] rows) {
        int classes = 0;
        for (int row : rows) {
            if (y[row] < 0) {
                throw new IllegalArgumentException("class ids must be >= 0: " + y[row] + " at " + row);
            }
            classes = Math.max(classes, y[row] + 1);
        }
        int[] count = new int[classes];
        for (int row : rows) {
            count[y[row]]++;
        }
        int[][] members = new int[classes][];
        for (int c = 0; c < classes; c++) {
            members[c] = new int[count[c]];
        }
        int[] filled = new int[classes];
        for (int row : rows) {
            members[y[row]][filled[y[row]]++] = row;
        }
        return members;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }
}
