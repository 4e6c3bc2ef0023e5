package dev.scalpel.core.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.Runtime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batched device pooling against plain loops over the same numbers. */
class TokenPoolingTest {
    private static final int B = 3;
    private static final int T = 5;
    private static final int D = 7;
    /** Row 0: all tokens; row 1: two tokens then padding; row 2: first (special) token dropped and one pad. */
    private static final float[][] MASK = {{1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}, {0, 1, 1, 1, 0}};
    private static NDManager manager;
    private static float[][][] x;

    @BeforeAll
    static void data() {
        Runtime.init();
        manager = NDManager.newBaseManager();
        Random r = new Random(3);
        x = new float[B][T][D];
        for (float[][] row : x) {
            for (float[] tok : row) {
                for (int j = 0; j < D; j++) {
                    // Some exact zeros (as after a ReLU) and negatives, so top-n must skip the off latents.
                    tok[j] = r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian();
                }
            }
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static float[] flatX() {
        float[] flat = new float[B * T * D];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                System.arraycopy(x[b][t], 0, flat, (b * T + t) * D, D);
            }
        }
        return flat;
    }

    private static float[] flatMask() {
        float[] m = new float[B * T];
        for (int b = 0; b < B; b++) {
            System.arraycopy(MASK[b], 0, m, b * T, T);
        }
        return m;
    }

    private static float[][] pool(TokenPooling p) {
        NDArray out = p.pool(manager.create(flatX(), new Shape(B, T, D)), manager.create(flatMask(), new Shape(B, T)));
        assertEquals(new Shape(B, D), out.getShape());
        float[] o = out.toFloatArray();
        float[][] rows = new float[B][];
        for (int b = 0; b < B; b++) {
            rows[b] = Arrays.copyOfRange(o, b * D, (b + 1) * D);
        }
        return rows;
    }

    @Test
    void sumMeanMaxLastMatchLoops() {
        float[][] sum = pool(TokenPooling.SUM);
        float[][] mean = pool(TokenPooling.MEAN);
        float[][] max = pool(TokenPooling.MAX);
        float[][] last = pool(TokenPooling.LAST);
        for (int b = 0; b < B; b++) {
            int lastToken = -1;
            int count = 0;
            for (int t = 0; t < T; t++) {
                if (MASK[b][t] == 1) {
                    lastToken = t;
                    count++;
                }
            }
            for (int j = 0; j < D; j++) {
                double s = 0;
                float mx = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < T; t++) {
                    if (MASK[b][t] == 1) {
                        s += x[b][t][j];
                        mx = Math.max(mx, x[b][t][j]);
                    }
                }
                assertEquals(s, sum[b][j], 1e-5, "sum " + b + "," + j);
                assertEquals(s / count, mean[b][j], 1e-5, "mean " + b + "," + j);
                assertEquals(mx, max[b][j], 0f, "max " + b + "," + j);
                assertEquals(x[b][lastToken][j], last[b][j], 0f, "last " + b + "," + j);
            }
        }
    }

    @Test
    void topNCountsMatchLoops() {
        for (int n : new int[] {1, 2, 5, 50}) {
            float[][] counts = pool(TokenPooling.topNCount(n));
            for (int b = 0; b < B; b++) {
                int[] expected = new int[D];
                for (int t = 0; t < T; t++) {
                    if (MASK[b][t] == 0) {
                        continue;
                    }
                    float[] sorted = x[b][t].clone();
                    Arrays.sort(sorted);
                    float kth = sorted[D - Math.min(n, D)];
                    for (int j = 0; j < D; j++) {
                        if (x[b][t][j] >= kth && x[b][t][j] > 0) {
                            expected[j]++;
                        }
                    }
                }
                for (int j = 0; j < D; j++) {
                    assertEquals(expected[j], counts[b][j], 0f, "top-" + n + " row " + b + " latent " + j);
                }
            }
        }
    }

    @Test
    void clsIsPositionZeroAndMeanIsWhatSentenceEmbeddingsComputed() {
        float[][] cls = pool(TokenPooling.CLS);
        float[][] mean = pool(TokenPooling.MEAN);
        for (int b = 0; b < B; b++) {
            assertArrayEquals(x[b][0], cls[b], "cls is position 0 whatever the mask, row " + b);
        }
        // The embedder's and SAE splicing's formula before they used TokenPooling: the same float operations.
        NDArray xs = manager.create(flatX(), new Shape(B, T, D));
        NDArray w = manager.create(flatMask(), new Shape(B, T)).expandDims(2);
        float[] before = xs.mul(w).sum(new int[] {1}).div(w.sum(new int[] {1})).toFloatArray();
        for (int b = 0; b < B; b++) {
            assertArrayEquals(Arrays.copyOfRange(before, b * D, (b + 1) * D), mean[b], "mean, row " + b);
        }
    }

    @Test
    void singleTextPoolsEveryTokenAndSpellingsParse() {
        NDArray one = manager.create(new float[] {1, -2, 3, 4, 0, 6}, new Shape(3, 2));
        assertEquals(Arrays.toString(new float[] {4, 8}), Arrays.toString(TokenPooling.SUM.pool(one).toFloatArray()));
        assertEquals(Arrays.toString(new float[] {0, 6}), Arrays.toString(TokenPooling.LAST.pool(one).toFloatArray()));
        for (String s : new String[] {"sum", "mean", "max", "last", "cls", "topn:20"}) {
            assertEquals(s, TokenPooling.parse(s).name());
        }
        assertEquals(TokenPooling.topNCount(50), TokenPooling.parse("TopN:50"));
        assertThrows(IllegalArgumentException.class, () -> TokenPooling.parse("median"));
        assertThrows(IllegalArgumentException.class, () -> TokenPooling.parse("topn:0"));
        NDArray noToken = manager.zeros(new Shape(1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> TokenPooling.MEAN.pool(manager.ones(new Shape(1, 2, 3)), noToken));
    }
}
