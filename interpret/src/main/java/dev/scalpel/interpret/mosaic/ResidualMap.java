package dev.scalpel.interpret.mosaic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.interpret.harvest.ActivationShards;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * An affine map from one model's residual stream to another's, {@code y = x A + b}, fitted by ridge regression on the
 * two models' activations of the same tokens (the same tokenizer, the same texts, row for row). It lets a probe and an
 * SAE trained on one model read another model whose basis differs (another seed, another objective): the transfer
 * the MOSAIC paper shows between models that share a residual space needs no map; between models that do not, this
 * is the least one must learn.
 *
 * @param input the input's width (the model mapped from)
 * @param output the output's width (the model whose SAE and probe read the result)
 * @param a the {@code [input, output]} matrix
 * @param b the {@code output} offset
 * @param ridge the penalty relative to the inputs' mean variance (0: least squares); the offset is not penalized
 * @param rows the token rows it was fitted on
 */
public record ResidualMap(int input, int output, Matrix a, double[] b, double ridge, long rows) {
    private static final int CHUNK_ROWS = 4096;

    public ResidualMap {
        if (a.rows() != input || a.cols() != output || b.length != output) {
            throw new IllegalArgumentException("a " + a + " and an offset of " + b.length + " for a map " + input
                    + " -> " + output);
        }
        b = b.clone();
    }

    /** The map that leaves a row as it is: for a model that shares the other's residual space. */
    public static ResidualMap identity(int width) {
        return new ResidualMap(width, width, Matrix.identity(width), new double[width], 0, 0);
    }

    public boolean isIdentity() {
        return rows == 0 && a.equals(Matrix.identity(input)) && Arrays.stream(b).allMatch(v -> v == 0);
    }

    /**
     * Fits {@code to ≈ from A + b} on the rows of the texts marked in {@code texts}: the centered normal equations
     * {@code (X'X + lambda I) A = X'Y} with {@code lambda = ridge * trace(X'X) / input}, accumulated in float64.
     *
     * @throws ScalpelException when the two harvests do not hold the same tokens row for row
     */
    public static ResidualMap fit(ActivationShards from, ActivationShards to, boolean[] texts, double ridge,
                                  NDManager manager) {
        requirePaired(from, to);
        int dx = from.dimension();
        int dy = to.dimension();
        try (NDManager local = manager.newSubManager()) {
            NDArray gram = local.zeros(new Shape(dx, dx), DataType.FLOAT64);
            NDArray cross = local.zeros(new Shape(dx, dy), DataType.FLOAT64);
            NDArray sumX = local.zeros(new Shape(dx), DataType.FLOAT64);
            NDArray sumY = local.zeros(new Shape(dy), DataType.FLOAT64);
            long n = 0;
            for (int s = 0; s < from.shardCount(); s++) {
                Chunks chunks = Chunks.of(from, to, s, texts);
                for (int c = 0; c < chunks.count(); c++) {
                    try (NDManager step = local.newSubManager()) {
                        NDArray x = chunks.x(c, step).toType(DataType.FLOAT64, false);
                        NDArray y = chunks.y(c, step).toType(DataType.FLOAT64, false);
                        NDArray xt = x.transpose();
                        gram.addi(xt.matMul(x));
                        cross.addi(xt.matMul(y));
                        sumX.addi(x.sum(new int[] {0}));
                        sumY.addi(y.sum(new int[] {0}));
                        n += x.getShape().get(0);
                    }
                }
            }
            if (n <= dx) {
                throw new ScalpelException(from.folder() + " -> " + to.folder() + ": " + n + " paired rows cannot fit a map"
                        + " of " + dx + " inputs");
            }
            // Divided here, not by NDArray.div(Number) (see core.model.Scalars: the convention test refuses it).
            double[] meanX = sumX.toDoubleArray();
            double[] meanY = sumY.toDoubleArray();
            for (int i = 0; i < meanX.length; i++) {
                meanX[i] /= n;
            }
            for (int j = 0; j < meanY.length; j++) {
                meanY[j] /= n;
            }
            Matrix g = Matrix.from(gram);
            Matrix xy = Matrix.from(cross);
            for (int i = 0; i < dx; i++) {
                for (int j = 0; j < dx; j++) {
                    g.set(i, j, g.get(i, j) - n * meanX[i] * meanX[j]);
                }
                for (int j = 0; j < dy; j++) {
                    xy.set(i, j, xy.get(i, j) - n * meanX[i] * meanY[j]);
                }
            }
            double trace = 0;
            for (int i = 0; i < dx; i++) {
                trace += g.get(i, i);
            }
            double lambda = ridge * trace / dx;
            for (int i = 0; i < dx; i++) {
                g.set(i, i, g.get(i, i) + lambda);
            }
            Matrix a = Linalg.solveSymmetricPositiveDefinite(g, xy);
            double[] b = meanY.clone();
            for (int j = 0; j < dy; j++) {
                for (int i = 0; i < dx; i++) {
                    b[j] -= meanX[i] * a.get(i, j);
                }
            }
            return new ResidualMap(dx, dy, a, b, ridge, n);
        }
    }

    /**
     * The fraction of {@code to}'s variance on the marked texts' rows that the map leaves unexplained:
     * {@code sum ||y - (x A + b)||^2 / sum ||y - mean(y)||^2} (0 is a perfect map, 1 no better than the mean).
     */
    public double fvu(ActivationShards from, ActivationShards to, boolean[] texts, NDManager manager) {
        requirePaired(from, to);
        double residual = 0;
        double sum2 = 0;
        double[] sum = new double[output];
        long n = 0;
        try (NDManager local = manager.newSubManager()) {
            UnaryOperator<NDArray> apply = function(local);
            for (int s = 0; s < from.shardCount(); s++) {
                Chunks chunks = Chunks.of(from, to, s, texts);
                for (int c = 0; c < chunks.count(); c++) {
                    try (NDManager step = local.newSubManager()) {
                        NDArray y = chunks.y(c, step).toType(DataType.FLOAT64, false);
                        NDArray predicted = apply.apply(chunks.x(c, step)).toType(DataType.FLOAT64, false);
                        residual += y.sub(predicted).square().sum().getDouble();
                        sum2 += y.square().sum().getDouble();
                        double[] cols = y.sum(new int[] {0}).toDoubleArray();
                        for (int j = 0; j < output; j++) {
                            sum[j] += cols[j];
                        }
                        n += y.getShape().get(0);
                    }
                }
            }
        }
        double total = sum2;
        for (double v : sum) {
            total -= v * v / n;
        }
        return residual / total;
    }

    /** The map as an operation on float32 rows {@code [n, input]}, its weights held by {@code manager}. */
    public UnaryOperator<NDArray> function(NDManager manager) {
        if (isIdentity()) {
            return x -> x;
        }
        NDArray weights = a.toNDArray(manager, DataType.FLOAT32);
        NDArray offset = manager.create(b).toType(DataType.FLOAT32, false);
        return x -> x.matMul(weights).add(offset);
    }

    /** Refuses two harvests whose rows are not the same tokens of the same texts in the same order. */
    public static void requirePaired(ActivationShards from, ActivationShards to) {
        if (from.shardCount() != to.shardCount() || from.rowCount() != to.rowCount()) {
            throw new ScalpelException(from.folder() + " (" + from.rowCount() + " rows in " + from.shardCount()
                    + " shards) and " + to.folder() + " (" + to.rowCount() + " rows in " + to.shardCount()
                    + " shards) are not harvests of the same tokens: the models' tokenizers or context sizes differ");
        }
        for (int s = 0; s < from.shardCount(); s++) {
            if (!Arrays.equals(from.shardTextIndex(s), to.shardTextIndex(s))
                    || !Arrays.equals(from.shardPositions(s), to.shardPositions(s))) {
                throw new ScalpelException(from.folder() + " and " + to.folder() + ": shard " + s
                        + " holds other texts or token positions: the harvests' rows do not pair");
            }
        }
    }

    /** One shard's rows of the marked texts, both sides, in chunks. */
    private record Chunks(float[] x, float[] y, int dx, int dy, int rows) {
        static Chunks of(ActivationShards from, ActivationShards to, int shard, boolean[] texts) {
            float[] xs = from.shardRows(shard);
            float[] ys = to.shardRows(shard);
            long[] textIndex = from.shardTextIndex(shard);
            int dx = from.dimension();
            int dy = to.dimension();
            int kept = 0;
            for (long t : textIndex) {
                kept += t >= 0 && t < texts.length && texts[(int) t] ? 1 : 0;
            }
            float[] x = new float[kept * dx];
            float[] y = new float[kept * dy];
            int at = 0;
            for (int r = 0; r < textIndex.length; r++) {
                long t = textIndex[r];
                if (t >= 0 && t < texts.length && texts[(int) t]) {
                    System.arraycopy(xs, r * dx, x, at * dx, dx);
                    System.arraycopy(ys, r * dy, y, at * dy, dy);
                    at++;
                }
            }
            return new Chunks(x, y, dx, dy, kept);
        }

        int count() {
            return (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
        }

        NDArray x(int chunk, NDManager manager) {
            return slice(x, dx, chunk, manager);
        }

        NDArray y(int chunk, NDManager manager) {
            return slice(y, dy, chunk, manager);
        }

        private NDArray slice(float[] values, int d, int chunk, NDManager manager) {
            int start = chunk * CHUNK_ROWS;
            int n = Math.min(CHUNK_ROWS, rows - start);
            return manager.create(Arrays.copyOfRange(values, start * d, (start + n) * d), new Shape(n, d));
        }
    }
}
