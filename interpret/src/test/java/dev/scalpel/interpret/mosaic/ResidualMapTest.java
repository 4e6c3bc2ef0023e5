package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SaeArchitecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned map between two layers of llama-tiny (its residual stream is not normalized, so no column is a linear
 * combination of the others), against an independent least-squares solver.
 */
class ResidualMapTest {
    @TempDir
    Path dir;

    private static MosaicConfig config(int context) {
        return new MosaicConfig("blocks.%d.hook_resid_post", List.of(0, 1), List.of(SaeArchitecture.TOPK),
                List.of(32), 4, 1.0, 10, 128, 3e-3, 5_000, context, 1.0f, 4, 4, 0, 42);
    }

    @Test
    void fitsTheLeastSquaresMapBetweenTwoLayersAndRefusesUnpairedHarvests() {
        List<String> texts = MosaicReproductionTest.data().stream().map(t -> t.text()).toList();
        List<String> log = new ArrayList<>();
        MosaicReproduction grid = new MosaicReproduction(config(16), MosaicReproductionTest.logInto(log));
        try (LoadedModel llama = LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("llama-tiny"));
             NDManager manager = NDManager.newBaseManager()) {
            TokenSource tokens = TokenSource.of(llama, true);
            Path first = grid.harvest(llama.model(), tokens, "llama-tiny", 0, texts, dir, "layer-0");
            Path second = grid.harvest(llama.model(), tokens, "llama-tiny", 1, texts, dir, "layer-1");
            try (ActivationShards x = ActivationShards.open(first); ActivationShards y = ActivationShards.open(second)) {
                boolean[] all = new boolean[texts.size()];
                Arrays.fill(all, true);
                ResidualMap map = ResidualMap.fit(x, y, all, 0, manager);
                assertEquals(x.rowCount(), map.rows());

                // The oracle: commons-math's QR least squares with an intercept, on the same rows in float64.
                int d = x.dimension();
                int n = Math.toIntExact(x.rowCount());
                double[][] inputs = new double[n][d];
                double[][] outputs = new double[n][d];
                float[] row = new float[d];
                for (int r = 0; r < n; r++) {
                    x.copyRow(r, row, 0);
                    for (int j = 0; j < d; j++) {
                        inputs[r][j] = row[j];
                    }
                    y.copyRow(r, row, 0);
                    for (int j = 0; j < d; j++) {
                        outputs[r][j] = row[j];
                    }
                }
                double residual = 0;
                double variance = 0;
                for (int j : new int[] {0, 7, d - 1}) {
                    double[] target = new double[n];
                    for (int r = 0; r < n; r++) {
                        target[r] = outputs[r][j];
                    }
                    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
                    ols.newSampleData(target, inputs);
                    double[] beta = ols.estimateRegressionParameters();
                    assertEquals(beta[0], map.b()[j], 1e-3 * (1 + Math.abs(beta[0])), "offset of output " + j);
                    for (int i = 0; i < d; i++) {
                        assertEquals(beta[i + 1], map.a().get(i, j), 1e-3 * (1 + Math.abs(beta[i + 1])),
                                "coefficient " + i + " of output " + j);
                    }
                }
                for (int j = 0; j < d; j++) {
                    double[] target = new double[n];
                    for (int r = 0; r < n; r++) {
                        target[r] = outputs[r][j];
                    }
                    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
                    ols.newSampleData(target, inputs);
                    residual += ols.calculateResidualSumOfSquares();
                    variance += ols.calculateTotalSumOfSquares();
                }
                double fvu = map.fvu(x, y, all, manager);
                assertEquals(residual / variance, fvu, 1e-4, "the unexplained variance of the oracle's fit");
                assertTrue(fvu > 0 && fvu < 1, "two layers are related, not equal: " + fvu);

                ResidualMap self = ResidualMap.fit(x, x, all, 0, manager);
                assertEquals(0, self.fvu(x, x, all, manager), 1e-8, "a layer maps onto itself exactly");
                assertEquals(0, ResidualMap.identity(d).fvu(x, x, all, manager), 0, "the identity reads it as it is");
                assertTrue(ResidualMap.identity(d).isIdentity() && !self.isIdentity());

                // A ridge penalty shrinks the map and can only fit worse on the rows it was fitted on.
                ResidualMap ridged = ResidualMap.fit(x, y, all, 1.0, manager);
                assertTrue(ridged.a().norm() < map.a().norm());
                assertTrue(ridged.fvu(x, y, all, manager) > fvu);
            }

            Path shorter = new MosaicReproduction(config(8), MosaicReproductionTest.logInto(log))
                    .harvest(llama.model(), tokens, "llama-tiny", 1, texts, dir, "short-layer-1");
            try (ActivationShards x = ActivationShards.open(first); ActivationShards y = ActivationShards.open(shorter)) {
                ScalpelException e = assertThrows(ScalpelException.class, () -> ResidualMap.requirePaired(x, y));
                assertTrue(e.getMessage().contains(shorter.toString()) && e.getMessage().contains("same tokens"),
                        e.getMessage());
            }
        }
    }
}
