package dev.scalpel.interpret.sae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pieces of the recipes, each against a closed form or brute force. */
class SaeTrainerPartsTest {

    private static double sumOfDistances(float[] points, int d, float[] y) {
        double total = 0;
        for (int i = 0; i < points.length / d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double c = points[i * d + j] - y[j];
                s += c * c;
            }
            total += Math.sqrt(s);
        }
        return total;
    }

    private static float[] median(float[] points, int d) {
        try (NDManager m = NDManager.newBaseManager()) {
            return GeometricMedian.of(m.create(points, new Shape(points.length / d, d)), 1000, 1e-12);
        }
    }

    @Test
    void geometricMedianOfCollinearPointsIsTheirMiddlePoint() {
        float[] dir = {0.6f, 0f, 0.8f};
        float[] ts = {-3f, -1f, 0.5f, 2f, 9f};          // median of the line coordinates: 0.5
        float[] points = new float[ts.length * 3];
        for (int i = 0; i < ts.length; i++) {
            for (int j = 0; j < 3; j++) {
                points[i * 3 + j] = 1f + ts[i] * dir[j];
            }
        }
        float[] y = median(points, 3);
        for (int j = 0; j < 3; j++) {
            assertEquals(1f + 0.5f * dir[j], y[j], 2e-3f, "coordinate " + j);
        }
    }

    @Test
    void geometricMedianOfSymmetricPointsIsTheirCenterAndShrugsOffAnOutlier() {
        SplittableRandom r = new SplittableRandom(3);
        int d = 8;
        int half = 50;
        float[] center = new float[d];
        for (int j = 0; j < d; j++) {
            center[j] = (float) r.nextGaussian();
        }
        float[] points = new float[(2 * half + 1) * d];
        for (int i = 0; i < half; i++) {
            for (int j = 0; j < d; j++) {
                float v = (float) r.nextGaussian();
                points[(2 * i) * d + j] = center[j] + v;
                points[(2 * i + 1) * d + j] = center[j] - v;
            }
        }
        System.arraycopy(center, 0, points, 2 * half * d, d);   // pairs mirrored around the center, plus the center
        assertArrayEquals(center, median(points, d), 1e-3f, "symmetric data: median = mean = center");

        points[2 * half * d] = center[0] + 1000f;               // replace the center by a far outlier
        float[] y = median(points, d);
        double mean0 = 0;
        for (int i = 0; i < 2 * half + 1; i++) {
            mean0 += points[i * d];
        }
        mean0 /= 2 * half + 1;
        assertTrue(Math.abs(mean0 - center[0]) > 9, "the mean moves ~10 towards the outlier");
        assertTrue(Math.abs(y[0] - center[0]) < 0.1, "the median barely moves: " + (y[0] - center[0]));
    }

    @Test
    void geometricMedianBeatsEveryPointOfABruteForceGrid() {
        SplittableRandom r = new SplittableRandom(11);
        float[] points = new float[7 * 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = (float) (r.nextDouble() * 4 - 2);
        }
        points[0] = 30f;   // one far point
        float[] y = median(points, 2);
        double best = Double.POSITIVE_INFINITY;
        for (double a = -2; a <= 2; a += 0.005) {
            for (double b = -2; b <= 2; b += 0.005) {
                best = Math.min(best, sumOfDistances(points, 2, new float[] {(float) a, (float) b}));
            }
        }
        double found = sumOfDistances(points, 2, y);
        assertTrue(found <= best + 1e-4, "Weiszfeld " + found + " vs grid " + best);
    }

    @Test
    void projectedGradientIsOrthogonalToEachRowAndKeepsRowsUnitToFirstOrder() {
        int dSae = 12;
        int dIn = 6;
        SplittableRandom r = new SplittableRandom(5);
        float[] w0 = new float[dSae * dIn];
        float[] x0 = new float[20 * dSae];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) r.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(w0, new Shape(dSae, dIn));
            DecoderNorms.normalizeRows(w, 1f);
            assertArrayEquals(ones(dSae), rowNorms(w), 1e-6f);
            w.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray f = m.create(x0, new Shape(20, dSae));
                c.backward(f.matMul(w).sin().sum());
            }
            float[] before = w.getGradient().toFloatArray();
            DecoderNorms.projectOutParallelGradient(w);
            float[] after = w.getGradient().toFloatArray();
            float[] wv = w.toFloatArray();
            double largestParallel = 0;
            for (int i = 0; i < dSae; i++) {
                double dotBefore = 0;
                double dotAfter = 0;
                for (int j = 0; j < dIn; j++) {
                    dotBefore += wv[i * dIn + j] * before[i * dIn + j];
                    dotAfter += wv[i * dIn + j] * after[i * dIn + j];
                }
                assertEquals(0, dotAfter, 1e-5, "row " + i + " keeps no gradient along itself");
                for (int j = 0; j < dIn; j++) {   // and only that component was removed
                    assertEquals(before[i * dIn + j] - dotBefore * wv[i * dIn + j], after[i * dIn + j], 1e-5);
                }
                largestParallel = Math.max(largestParallel, Math.abs(dotBefore));
            }
            assertTrue(largestParallel > 0.1, "the raw gradient had a real parallel part: " + largestParallel);

            float lr = 1e-3f;
            double largestGradient = 0;
            for (int i = 0; i < dSae; i++) {
                double g2 = 0;
                for (int j = 0; j < dIn; j++) {
                    g2 += after[i * dIn + j] * after[i * dIn + j];
                }
                largestGradient = Math.max(largestGradient, g2);
            }
            NDArray projectedStep = m.create(wv, w.getShape()).sub(m.create(after, w.getShape()).mul(lr));
            NDArray rawStep = m.create(wv, w.getShape()).sub(m.create(before, w.getShape()).mul(lr));
            float projectedDrift = maxDeviationFromOne(rowNorms(projectedStep));
            float rawDrift = maxDeviationFromOne(rowNorms(rawStep));
            // |w - lr g|^2 = 1 + lr^2 |g|^2 when g is orthogonal to the unit row w: second order in lr.
            assertTrue(projectedDrift <= lr * lr * largestGradient / 2 + 1e-6, "projected drift " + projectedDrift);
            assertTrue(rawDrift > 10 * projectedDrift, "a raw step changes norms to first order: " + rawDrift);
            DecoderNorms.normalizeRows(projectedStep, 1f);
            assertArrayEquals(ones(dSae), rowNorms(projectedStep), 1e-6f);
        }
    }

    @Test
    void foldingTheTrainingScaleKeepsLatentsAndScalesReconstructions() {
        SplittableRandom r = new SplittableRandom(9);
        SaeTrainingConfig c = SaeTrainingConfig.topK(16, 3);
        float[] bDec = new float[8];
        for (int j = 0; j < 8; j++) {
            bDec[j] = (float) r.nextGaussian();
        }
        float s = 2.5f;
        try (SparseAutoencoder scaled = SaeInitialization.fresh(c, 8, bDec, SaeMetadata.unknown(), r);
             SparseAutoencoder folded = SaeInitialization.copyOf(scaled, c);
             NDManager m = NDManager.newBaseManager()) {
            SaeInitialization.foldScale(folded, s);
            float[] xs = new float[5 * 8];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextGaussian();
            }
            NDArray x = m.create(xs, new Shape(5, 8));
            assertArrayEquals(scaled.encode(x.mul(s)).toFloatArray(), folded.encode(x).toFloatArray(), 1e-5f);
            assertArrayEquals(scaled.decode(scaled.encode(x.mul(s))).div(s).toFloatArray(),
                    folded.decode(folded.encode(x)).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void standardPenaltyWeighsEachLatentByItsDecoderNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager own = NDManager.newBaseManager();
            // W_dec rows of norms 2 and 0.5; f = [[1, 4], [3, 0]]: penalty = mean(1*2 + 4*0.5, 3*2) = 5
            SparseAutoencoder sae = new SparseAutoencoder(SaeArchitecture.STANDARD, 0, true, SaeMetadata.unknown(), own,
                    own.zeros(new Shape(2, 2)), own.create(new float[] {2, 0, 0, -0.5f}, new Shape(2, 2)),
                    own.zeros(new Shape(2)), own.zeros(new Shape(2)), null);
            try (sae) {
                NDArray f = m.create(new float[] {1, 4, 3, 0}, new Shape(2, 2));
                NDArray x = m.create(new float[] {1, 1, 1, 1}, new Shape(2, 2));
                NDArray xHat = sae.decode(f);   // rows (2, -2) and (6, 0): squared errors 1+9=10 and 25+1=26
                StandardObjective objective = new StandardObjective(step -> 0.5 * Math.min(1, (step + 1) / 10.0));
                SaeObjective.Terms terms = objective.loss(sae, x, f, f, xHat, new float[2], 9);
                assertEquals(18, terms.reconstruction().getFloat(), 1e-5);
                assertEquals(0.5 * 5, terms.sparsity().getFloat(), 1e-5);
                assertEquals(0.25 * 5, objective.loss(sae, x, f, f, xHat, new float[2], 4).sparsity().getFloat(), 1e-5,
                        "half-way through the warm-up, half of lambda");
            }
        }
    }

    private static float[] rowNorms(NDArray w) {
        return w.norm(new int[] {1}).toFloatArray();
    }

    private static float[] ones(int n) {
        float[] o = new float[n];
        java.util.Arrays.fill(o, 1f);
        return o;
    }

    private static float maxDeviationFromOne(float[] norms) {
        float worst = 0;
        for (float v : norms) {
            worst = Math.max(worst, Math.abs(v - 1f));
        }
        return worst;
    }
}
