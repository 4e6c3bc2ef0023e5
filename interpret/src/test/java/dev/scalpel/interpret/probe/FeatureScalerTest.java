package dev.scalpel.interpret.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.interpret.data.StratifiedSplit;
import dev.scalpel.interpret.data.TrainTestSplit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Standardization learned from the fit's rows only, and a standardized probe blind to each column's scale. */
class FeatureScalerTest {

    @Test
    void learnsMeanAndPopulationStdFromTheGivenRowsOnly() {
        FeatureMatrix x = FeatureMatrix.ofDense(new float[][] {{1, 5, 0}, {3, 5, 2}, {5, 5, 4}, {1000, -7, 9}});
        FeatureScaler s = FeatureScaler.fit(x, new int[] {0, 1, 2});   // row 3 is held out: it must not count
        assertEquals(3.0, s.mean(0), 1e-12);
        assertEquals(Math.sqrt(8.0 / 3), s.scale(0), 1e-12, "population std of 1, 3, 5");
        assertEquals(5.0, s.mean(1), 1e-12);
        assertEquals(1.0, s.scale(1), 0, "a column constant on the fit's rows keeps scale 1, as StandardScaler's");
        FeatureMatrix z = s.apply(x);
        assertArrayEquals(new float[] {0, 0, 0}, z.dense(1), 1e-6f);
        assertEquals((1000 - 3) / Math.sqrt(8.0 / 3), z.dense(3)[0], 1e-3, "held-out rows use the learned statistics");
        assertEquals(-12.0, z.dense(3)[1], 1e-6);
    }

    /**
     * Two informative columns, one a thousand times larger than the other and shifted: standardized, the probe sees
     * the same features whatever the columns' units, so its choice of C and its test predictions do not change when
     * each column is rescaled and shifted.
     */
    @Test
    void aStandardizedProbeDoesNotDependOnEachColumnsUnits() {
        Random r = new Random(3);
        int n = 200;
        float[][] a = new float[n][];
        float[][] b = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            float u = (float) (r.nextGaussian() + (y[i] == 1 ? 0.8 : -0.8));
            float v = (float) (r.nextGaussian() + (y[i] == 1 ? 0.5 : -0.5));
            a[i] = new float[] {u, v};
            b[i] = new float[] {1000 * u + 7, 0.001f * v - 3};
        }
        TrainTestSplit split = StratifiedSplit.holdOut(y, 0.2, 42);
        List<TrainTestSplit> folds = StratifiedSplit.kFold(y, split.train(), 5, 42);
        LogisticProbe probe = new LogisticProbe(LogisticProbe.Config.defaults()).standardizing();
        LogisticProbe.Selection sa = probe.select(FeatureMatrix.ofDense(a), y, 2, folds);
        LogisticProbe.Selection sb = probe.select(FeatureMatrix.ofDense(b), y, 2, folds);
        assertEquals(sa.bestC(), sb.bestC());
        int[] pa = probe.fit(FeatureMatrix.ofDense(a), y, 2, split.train(), sa.bestC()).predict(FeatureMatrix.ofDense(a), split.test());
        int[] pb = probe.fit(FeatureMatrix.ofDense(b), y, 2, split.train(), sb.bestC()).predict(FeatureMatrix.ofDense(b), split.test());
        assertArrayEquals(pa, pb);
        int correct = 0;
        for (int i = 0; i < pa.length; i++) {
            correct += pa[i] == y[split.test()[i]] ? 1 : 0;
        }
        assertTrue(correct > 0.7 * pa.length, "the probe learned the classes: " + correct + "/" + pa.length);
    }
}
