package dev.scalpel.core.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.linalg.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecondMomentSumTest {
    @Test
    void theMeanIsTheWeightedOuterProductAveragedOverCountedRowsAndSurvivesASaveAndRestore() {
        Runtime.init();
        Random r = new Random(3);
        int d = 5;
        float[][] batches = new float[3][4 * d];
        float[][] weights = {{1, 1, 0, 1}, {1, 1, 1, 1}, {0, 1, 1, 0}};
        for (float[] b : batches) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
        }
        // Oracle: float64 sum over the rows whose weight is 1.
        double[] sum = new double[d * d];
        long counted = 0;
        for (int b = 0; b < 3; b++) {
            for (int row = 0; row < 4; row++) {
                if (weights[b][row] == 0) {
                    continue;
                }
                counted++;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        sum[i * d + j] += (double) batches[b][row * d + i] * batches[b][row * d + j];
                    }
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SecondMomentSum s = SecondMomentSum.zeros(m, d);
            s.add(m.create(batches[0], new Shape(2, 2, d)), m.create(weights[0], new Shape(4, 1)), 3);
            // Save after the first batch and go on from the restored copy, as an interrupted collection does.
            SecondMomentSum resumed = SecondMomentSum.restore(m, d, s.toFloats(), s.count());
            for (int b = 1; b < 3; b++) {
                long real = (long) (weights[b][0] + weights[b][1] + weights[b][2] + weights[b][3]);
                resumed.add(m.create(batches[b], new Shape(4, d)), m.create(weights[b], new Shape(4, 1)), real);
            }
            assertEquals(counted, resumed.count());
            Matrix mean = resumed.mean();
            for (int i = 0; i < d * d; i++) {
                assertEquals(sum[i] / counted, mean.get(i / d, i % d), 1e-5 * (1 + Math.abs(sum[i] / counted)));
            }
            assertThrows(IllegalArgumentException.class, () -> SecondMomentSum.restore(m, d, new float[3], 0));
            assertThrows(IllegalStateException.class, () -> SecondMomentSum.zeros(m, d).mean());
        }
    }
}
