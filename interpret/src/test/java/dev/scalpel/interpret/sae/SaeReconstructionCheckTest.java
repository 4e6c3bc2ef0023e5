package dev.scalpel.interpret.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconstruction check: its numbers against plain loops, and its verdict on right and wrong activations. */
class SaeReconstructionCheckTest {
    private static final int D_IN = 16;
    private static final int ROWS = 64;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Rows of N(0, sigma^2) in the first {@code covered} coordinates, zeros after. */
    private static float[] gaussianRows(long seed, int rows, int covered, double sigma) {
        Random random = new Random(seed);
        float[] x = new float[rows * D_IN];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < covered; j++) {
                x[r * D_IN + j] = (float) (sigma * random.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void measuresFvuL0AndCosineAsDefined() {
        float threshold = 0.5f;
        float[] x = gaussianRows(1, ROWS, D_IN, 1.0);
        // The split-identity SAE reconstructs x_j when |x_j| > threshold and 0 otherwise; features: one per such x_j.
        double err = 0;
        double total = 0;
        double cosine = 0;
        double l0 = 0;
        double[] mean = new double[D_IN];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < D_IN; j++) {
                mean[j] += x[r * D_IN + j] / (double) ROWS;
            }
        }
        for (int r = 0; r < ROWS; r++) {
            double dot = 0;
            double nx = 0;
            double nh = 0;
            for (int j = 0; j < D_IN; j++) {
                double v = x[r * D_IN + j];
                double h = Math.abs(v) > threshold ? v : 0;
                err += (v - h) * (v - h);
                total += (v - mean[j]) * (v - mean[j]);
                dot += v * h;
                nx += v * v;
                nh += h * h;
                l0 += h != 0 ? 1 : 0;
            }
            cosine += dot / Math.sqrt(nx * nh);
        }
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN, threshold)) {
            ReconstructionCheck c = ReconstructionCheck.measure(sae, manager.create(x, new Shape(ROWS, D_IN)));
            assertEquals(ROWS, c.rows());
            assertEquals(err / total, c.fvu(), 1e-5);
            assertEquals(l0 / ROWS, c.meanL0(), 1e-9);
            assertEquals(cosine / ROWS, c.meanCosine(), 1e-5);
            assertEquals(0, c.outlierRows());
            assertTrue(c.fvu() > 0.01 && c.fvu() < 0.5, "the threshold loses a real but small share: " + c.fvu());
        }
    }

    @Test
    void passesActivationsAtTheTrainingScale() {
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN, 0.5f)) {
            ReconstructionCheck c = ReconstructionCheck.measure(sae,
                    manager.create(gaussianRows(2, ROWS, D_IN, 3.0), new Shape(ROWS, D_IN)));
            ReconstructionCheck.Verdict v = c.verdict();
            assertTrue(v.passed(), v.message());
            assertTrue(c.fvu() < 0.01, v.message());
            assertTrue(v.message().startsWith("reconstruction OK: FVU"), v.message());
        }
    }

    @Test
    void flagsActivationsOfTheWrongScaleNamingTheCauses() {
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN, 0.5f)) {
            ReconstructionCheck c = ReconstructionCheck.measure(sae,
                    manager.create(gaussianRows(2, ROWS, D_IN, 0.03), new Shape(ROWS, D_IN)));
            ReconstructionCheck.Verdict v = c.verdict();
            assertFalse(v.passed());
            assertTrue(c.fvu() > 0.9, v.message());
            String m = v.message();
            assertTrue(m.startsWith("poor reconstruction: FVU"), m);
            assertTrue(m.contains("almost no feature fires"), m);
            assertTrue(m.contains("off-by-one layer"), m);
            assertTrue(m.contains("BOS"), m);
            assertTrue(m.contains("scaling"), m);
        }
    }

    @Test
    void pointsAtBosRowsAndMeasuresWithoutThem() {
        // The SAE covers 15 of 16 coordinates; ordinary rows (norm ~12) live there, a BOS-like row of norm 400, some
        // 35 times theirs, lies outside.
        float[] x = gaussianRows(3, ROWS, D_IN - 1, 3.0);
        java.util.Arrays.fill(x, 0, D_IN, 0f);
        x[D_IN - 1] = 400f;
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN - 1, 0.5f)) {
            ReconstructionCheck c = ReconstructionCheck.measure(sae, manager.create(x, new Shape(ROWS, D_IN)));
            ReconstructionCheck.Verdict v = c.verdict();
            assertFalse(v.passed(), v.message());
            assertEquals(1, c.outlierRows());
            assertTrue(c.fvuWithoutOutliers() < 0.01, v.message());
            assertTrue(v.message().contains("1 row(s) have norms over 10x the median, as BOS / attention-sink positions"
                    + " do, and without them FVU is 0.00"), v.message());
        }
    }

    @Test
    void refusesSamplesOfTheWrongWidthOrTooFewRows() {
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN, 0.5f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReconstructionCheck.measure(sae, manager.zeros(new Shape(4, 12))));
            assertTrue(e.getMessage().contains("activations have shape (4, 12) but the SAE reads rows of d_in 16"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ReconstructionCheck.measure(sae, manager.zeros(new Shape(1, D_IN))));
            assertTrue(e.getMessage().contains("at least 2 rows"), e.getMessage());
        }
    }

    @Test
    void loadCheckedWarnsOnlyWhenTheSampleIsNotReconstructed(@TempDir Path dir) {
        try (SparseAutoencoder sae = SaeFixtures.splitIdentity(manager, D_IN, D_IN, 0.5f)) {
            SaeWriter.save(sae, dir);
        }
        NDArray right = manager.create(gaussianRows(4, ROWS, D_IN, 3.0), new Shape(ROWS, D_IN));
        NDArray wrong = right.div(100f);
        List<String> warnings = new ArrayList<>();
        try (SparseAutoencoder sae = SaeLoader.loadChecked(dir, right, warnings::add)) {
            assertEquals(SaeArchitecture.JUMPRELU, sae.architecture());
        }
        assertEquals(List.of(), warnings);
        try (SparseAutoencoder sae = SaeLoader.loadChecked(dir, wrong, warnings::add)) {
            assertEquals(D_IN, sae.dIn());
        }
        assertEquals(1, warnings.size());
        String w = warnings.getFirst();
        assertTrue(w.startsWith(dir + ": poor reconstruction"), w);
        assertTrue(w.endsWith("This SAE reads blocks.3.hook_resid_post of toy-model."), w);
    }
}
