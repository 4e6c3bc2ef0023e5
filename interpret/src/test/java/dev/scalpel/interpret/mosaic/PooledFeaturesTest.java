package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.interpret.harvest.ActivationHarvester;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.probe.Binarization;
import dev.scalpel.interpret.probe.FeatureMatrix;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled SAE features computed in one pass over harvested shards, against a plain double-precision oracle: every token
 * row read back from the shards, encoded with the SAE formula in loops, and pooled per text by the definitions.
 */
class PooledFeaturesTest {
    static final int D = 64;
    static final int D_SAE = 48;
    static final int TOP_N = 5;

    @TempDir
    Path dir;

    static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    @Test
    void everyPoolingEqualsItsDefinitionOnTheHarvestedRows() {
        List<String> texts = List.of("The cat sat on the mat.", "Free money, click now to win a prize!",
                "Meeting notes for the project review", "Hi", "Another short email about the team schedule and the "
                        + "draft agenda for next week, with more words so that it spans several chunks of rows.");
        try (LoadedModel bert = LoadedModel.open(fixture("bert-tiny"));
             NDManager nd = NDManager.newBaseManager()) {
            HarvestConfig config = HarvestConfig.tokens("blocks.1.hook_normalized_resid_post").withShardRows(7)
                    .withBatchSize(2);
            Path folder = dir.resolve("acts");
            new ActivationHarvester(bert.model(), TokenSource.of(bert, true), "bert-tiny", config).run(texts, folder,
                    (a, b, c, d) -> { });
            Random r = new Random(3);
            float[] wEnc = new float[D * D_SAE];
            float[] wDec = new float[D_SAE * D];
            float[] bEnc = new float[D_SAE];
            for (int i = 0; i < wEnc.length; i++) {
                wEnc[i] = (float) (r.nextGaussian() * 0.5);
                wDec[i] = (float) r.nextGaussian();
            }
            for (int j = 0; j < D_SAE; j++) {
                bEnc[j] = (float) (r.nextGaussian() * 0.2);
            }
            try (ActivationShards shards = ActivationShards.open(folder);
                 SparseAutoencoder sae = new SaeArchitectureFixture(nd.newSubManager(), wEnc, wDec, bEnc).sae()) {
                assertTrue(shards.shardCount() > 3, "several shards: " + shards.shardCount());
                PooledFeatures pooled = PooledFeatures.ofSae(shards, texts.size(), sae, TOP_N);
                double[][][] perText = oracleFeatures(shards, texts.size(), wEnc, bEnc);
                Binarization binarize = Binarization.above(1.0f);
                for (TokenPooling p : PooledFeatures.grid(TOP_N)) {
                    for (Binarization b : Arrays.asList(null, binarize)) {
                        FeatureMatrix m = pooled.matrix(p, b);
                        assertEquals(texts.size(), m.rows());
                        for (int t = 0; t < texts.size(); t++) {
                            double[] expected = pool(p, perText[t]);
                            float[] actual = m.dense(t);
                            for (int j = 0; j < D_SAE; j++) {
                                double e = b == null ? expected[j] : (expected[j] > 1.0 ? 1 : 0);
                                assertEquals(e, actual[j], 1e-4 * Math.max(1, Math.abs(e)),
                                        p + " " + (b == null ? "" : "binarized ") + "text " + t + " latent " + j);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Builds a standard ReLU SAE from the arrays. */
    private record SaeArchitectureFixture(NDManager m, float[] wEnc, float[] wDec, float[] bEnc) {
        SparseAutoencoder sae() {
            return new SparseAutoencoder(SaeArchitecture.STANDARD, 0, false, SaeMetadata.unknown(), m,
                    m.create(wEnc, new Shape(D, D_SAE)), m.create(wDec, new Shape(D_SAE, D)), m.create(bEnc),
                    m.zeros(new Shape(D)), null);
        }
    }

    /** Per text, its token rows' features in position order: f = ReLU(x W_enc + b_enc) in doubles. */
    private static double[][][] oracleFeatures(ActivationShards shards, int texts, float[] wEnc, float[] bEnc) {
        List<List<long[]>> rowsOf = new ArrayList<>();
        for (int t = 0; t < texts; t++) {
            rowsOf.add(new ArrayList<>());
        }
        long row = 0;
        for (int s = 0; s < shards.shardCount(); s++) {
            long[] ti = shards.shardTextIndex(s);
            long[] pos = shards.shardPositions(s);
            for (int i = 0; i < ti.length; i++) {
                rowsOf.get((int) ti[i]).add(new long[] {row++, pos[i]});
            }
        }
        double[][][] out = new double[texts][][];
        float[] x = new float[D];
        for (int t = 0; t < texts; t++) {
            List<long[]> rows = rowsOf.get(t);
            rows.sort(Comparator.comparingLong(a -> a[1]));
            out[t] = new double[rows.size()][D_SAE];
            for (int i = 0; i < rows.size(); i++) {
                shards.copyRow(rows.get(i)[0], x, 0);
                for (int j = 0; j < D_SAE; j++) {
                    double pre = bEnc[j];
                    for (int k = 0; k < D; k++) {
                        pre += (double) x[k] * wEnc[k * D_SAE + j];
                    }
                    out[t][i][j] = Math.max(0, pre);
                }
            }
        }
        return out;
    }

    private static double[] pool(TokenPooling p, double[][] tokens) {
        double[] out = new double[D_SAE];
        if (tokens.length == 0) {
            return out;
        }
        switch (p) {
            case TokenPooling.Sum s -> sum(tokens, out, 1);
            case TokenPooling.Mean m -> sum(tokens, out, tokens.length);
            case TokenPooling.Max m -> {
                for (double[] f : tokens) {
                    for (int j = 0; j < D_SAE; j++) {
                        out[j] = Math.max(out[j], f[j]);
                    }
                }
            }
            case TokenPooling.Last l -> System.arraycopy(tokens[tokens.length - 1], 0, out, 0, D_SAE);
            case TokenPooling.TopNCount top -> {
                for (double[] f : tokens) {
                    int[] order = IntStream.range(0, D_SAE).boxed().sorted((a, b) -> Double.compare(f[b], f[a]))
                            .mapToInt(Integer::intValue).toArray();
                    for (int i = 0; i < top.n(); i++) {
                        if (f[order[i]] > 0) {
                            out[order[i]] += 1;
                        }
                    }
                }
            }
            case TokenPooling.Cls c -> throw new AssertionError("cls is not in MOSAIC's grid");
        }
        return out;
    }

    private static void sum(double[][] tokens, double[] out, int divisor) {
        for (double[] f : tokens) {
            for (int j = 0; j < D_SAE; j++) {
                out[j] += f[j];
            }
        }
        for (int j = 0; j < D_SAE; j++) {
            out[j] /= divisor;
        }
    }
}
