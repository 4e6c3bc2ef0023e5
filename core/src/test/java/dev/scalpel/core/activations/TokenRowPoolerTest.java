package dev.scalpel.core.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.Runtime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend against plain loops: token rows of several texts arrive shuffled (as harvest shards interleave
 * them); each pooling must equal its definition over the text's rows in position order, bit for bit where the loop
 * does the same float operations in the same order.
 */
class TokenRowPoolerTest {
    private static final int TEXTS = 4;
    private static final int WIDTH = 9;
    private static final int TOP_N = 3;
    /** Tokens per text; text 2 has none (a text the harvest dropped). */
    private static final int[] LENGTHS = {5, 1, 0, 7};

    private record Row(int text, long position, float[] values) {
    }

    private static List<Row> rows() {
        Random r = new Random(5);
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < TEXTS; t++) {
            for (int p = 0; p < LENGTHS[t]; p++) {
                float[] v = new float[WIDTH];
                for (int j = 0; j < WIDTH; j++) {
                    // Exact zeros, as after a ReLU, so top-n counts must skip latents that are off.
                    v[j] = r.nextInt(3) == 0 ? 0f : (float) r.nextGaussian();
                }
                rows.add(new Row(t, p + 1, v));
            }
        }
        Collections.shuffle(rows, new Random(8));
        return rows;
    }

    private static float nthLargest(float[] v, int n) {
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[WIDTH - Math.min(n, WIDTH)];
    }

    @Test
    void everyPoolingEqualsItsLoop() {
        List<Row> rows = rows();
        TokenRowPooler pooler = new TokenRowPooler(TEXTS, WIDTH, TOP_N);
        float[] flat = new float[rows.size() * WIDTH];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).values(), 0, flat, i * WIDTH, WIDTH);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            pooler.add(row.text(), flat, i * WIDTH, row.position(), nthLargest(row.values(), TOP_N));
        }
        for (int t = 0; t < TEXTS; t++) {
            float[] sum = new float[WIDTH];
            float[] max = new float[WIDTH];
            float[] last = new float[WIDTH];
            float[] counts = new float[WIDTH];
            Arrays.fill(max, LENGTHS[t] == 0 ? 0f : Float.NEGATIVE_INFINITY);
            long lastPosition = Long.MIN_VALUE;
            for (Row row : rows) {   // arrival order, as the pooler sums
                if (row.text() != t) {
                    continue;
                }
                float kth = nthLargest(row.values(), TOP_N);
                for (int j = 0; j < WIDTH; j++) {
                    float v = row.values()[j];
                    sum[j] += v;
                    max[j] = Math.max(max[j], v);
                    counts[j] += v >= kth && v > 0 ? 1 : 0;
                }
                if (row.position() > lastPosition) {
                    lastPosition = row.position();
                    last = row.values();
                }
            }
            float[] mean = new float[WIDTH];
            for (int j = 0; j < WIDTH; j++) {
                mean[j] = LENGTHS[t] == 0 ? 0f : sum[j] * (1f / LENGTHS[t]);
            }
            float[] out = new float[WIDTH];
            assertArrayEquals(sum, pooler.pooled(t, TokenPooling.SUM, out), "sum of text " + t);
            assertArrayEquals(mean, pooler.pooled(t, TokenPooling.MEAN, out), "mean of text " + t);
            assertArrayEquals(max, pooler.pooled(t, TokenPooling.MAX, out), "max of text " + t);
            assertArrayEquals(last, pooler.pooled(t, TokenPooling.LAST, out), "last of text " + t);
            assertArrayEquals(counts, pooler.pooled(t, TokenPooling.topNCount(TOP_N), out), "top-n of text " + t);
            assertEquals(LENGTHS[t], pooler.tokens(t));
        }
        assertEquals(List.of(0f, 0f), List.of(pooler.pooled(2, TokenPooling.SUM, new float[WIDTH])[0],
                pooler.pooled(2, TokenPooling.LAST, new float[WIDTH])[0]), "a text without rows pools to zeros");
    }

    @Test
    void theDeviceAndTheRowBackendAgree() {
        Runtime.init();
        List<Row> rows = rows();
        int t = 3;
        List<Row> ofText = rows.stream().filter(r -> r.text() == t)
                .sorted((a, b) -> Long.compare(a.position(), b.position())).toList();
        float[] x = new float[ofText.size() * WIDTH];
        for (int i = 0; i < ofText.size(); i++) {
            System.arraycopy(ofText.get(i).values(), 0, x, i * WIDTH, WIDTH);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = m.create(x, new Shape(ofText.size(), WIDTH));
            TokenPooling.TopNCount top = TokenPooling.topNCount(TOP_N);
            float[] nth = top.nthLargest(tokens).toFloatArray();
            TokenRowPooler pooler = new TokenRowPooler(1, WIDTH, TOP_N);
            for (int i = 0; i < ofText.size(); i++) {
                assertEquals(nthLargest(ofText.get(i).values(), TOP_N), nth[i], 0f, "n-th largest of token " + i);
                pooler.add(0, x, i * WIDTH, ofText.get(i).position(), nth[i]);
            }
            for (TokenPooling p : List.of(TokenPooling.SUM, TokenPooling.MEAN, TokenPooling.MAX, TokenPooling.LAST, top)) {
                float[] device = p.pool(tokens).toFloatArray();
                float[] cpu = pooler.pooled(0, p, new float[WIDTH]);
                for (int j = 0; j < WIDTH; j++) {
                    assertEquals(device[j], cpu[j], 1e-5f, p.name() + " latent " + j);
                }
            }
        }
    }

    @Test
    void poolingsItDidNotAccumulateAreRefused() {
        TokenRowPooler pooler = new TokenRowPooler(1, WIDTH, TOP_N);
        float[] out = new float[WIDTH];
        assertThrows(IllegalArgumentException.class, () -> pooler.pooled(0, TokenPooling.CLS, out));
        assertThrows(IllegalArgumentException.class, () -> pooler.pooled(0, TokenPooling.topNCount(TOP_N + 1), out));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenRowPooler(1, WIDTH, 0).pooled(0, TokenPooling.topNCount(1), out));
        assertThrows(IndexOutOfBoundsException.class, () -> pooler.add(1, new float[WIDTH], 0, 0, 0f));
    }
}
