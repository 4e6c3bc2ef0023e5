package dev.scalpel.interpret.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    /** 100 of class 0, 37 of class 1, 13 of class 2, interleaved. */
    private static int[] labels() {
        int[] y = new int[150];
        int[] left = {100, 37, 13};
        for (int i = 0, c = 0; i < y.length; c = (c + 1) % 3) {
            if (left[c] > 0) {
                y[i++] = c;
                left[c]--;
            }
        }
        return y;
    }

    private static int[] countsOf(int[] y, int[] rows) {
        int[] c = new int[3];
        for (int r : rows) {
            c[y[r]]++;
        }
        return c;
    }

    @Test
    void holdOutKeepsProportionsAndIsDeterministic() {
        int[] y = labels();
        TrainTestSplit s = StratifiedSplit.holdOut(y, 0.2, 42);
        assertEquals(30, s.testSize(), "ceil(0.2 * 150)");
        assertEquals(120, s.trainSize());
        // shares 20, 7.4, 2.6: floors 20, 7, 2 and the leftover example to the largest remainder (class 2)
        assertArrayEquals(new int[] {20, 7, 3}, countsOf(y, s.test()));
        assertArrayEquals(IntStream.range(0, 150).toArray(),
                IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.test())).sorted().toArray(), "a partition");
        TrainTestSplit again = StratifiedSplit.holdOut(y, 0.2, 42);
        assertArrayEquals(s.test(), again.test());
        assertFalse(Arrays.equals(s.test(), StratifiedSplit.holdOut(y, 0.2, 7).test()), "the seed matters");
    }

    @Test
    void holdOutOnTheCorpusProportions() {
        int[] y = new int[6046];
        Arrays.fill(y, 0, 1896, 1);   // 1,896 spam, 4,150 ham
        TrainTestSplit s = StratifiedSplit.holdOut(y, StratifiedSplit.TEST_FRACTION, StratifiedSplit.SEED);
        int[] c = new int[2];
        for (int r : s.test()) {
            c[y[r]]++;
        }
        assertEquals(1210, s.testSize());
        assertEquals(1896 * 0.2, c[1], 1.0);
        assertEquals(4150 * 0.2, c[0], 1.0);
    }

    @Test
    void kFoldPartitionsWithBalancedClassesPerFold() {
        int[] y = labels();
        TrainTestSplit outer = StratifiedSplit.holdOut(y, 0.2, 42);
        List<TrainTestSplit> folds = StratifiedSplit.kFold(y, outer.train(), 5, 42);
        assertEquals(5, folds.size());
        int[] seen = new int[y.length];
        int[] trainCounts = countsOf(y, outer.train());
        for (TrainTestSplit f : folds) {
            for (int r : f.test()) {
                seen[r]++;
            }
            assertEquals(outer.trainSize(), f.trainSize() + f.testSize());
            assertEquals(outer.trainSize() / 5.0, f.testSize(), 1.0);
            int[] c = countsOf(y, f.test());
            for (int k = 0; k < 3; k++) {
                assertEquals(trainCounts[k] / 5.0, c[k], 1.0, "class " + k);
            }
            assertTrue(Arrays.stream(f.train()).noneMatch(r -> Arrays.binarySearch(f.test(), r) >= 0));
        }
        for (int r = 0; r < y.length; r++) {
            boolean inTrain = Arrays.binarySearch(outer.train(), r) >= 0;
            assertEquals(inTrain ? 1 : 0, seen[r], "row " + r + " is held out once iff it is a training row");
        }
        List<TrainTestSplit> again = StratifiedSplit.kFold(y, outer.train(), 5, 42);
        for (int f = 0; f < 5; f++) {
            assertArrayEquals(folds.get(f).test(), again.get(f).test());
        }
    }

    @Test
    void refusesWhatItCannotSplit() {
        assertThrows(ScalpelException.class, () -> StratifiedSplit.holdOut(new int[] {0, 0, 0, 1}, 0.2, 1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.kFold(new int[] {0, 1}, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.holdOut(new int[] {0, 1, 0, 1}, 1.0, 1));
    }
}
