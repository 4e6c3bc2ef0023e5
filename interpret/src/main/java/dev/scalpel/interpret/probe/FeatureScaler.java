package dev.scalpel.interpret.probe;

/**
 * Standardization as scikit-learn's StandardScaler does it inside a pipeline: each column's mean and population
 * standard deviation are learned from the rows a classifier is fitted on (a fold's training rows, or the whole training
 * split), and every row is then centered and scaled with them; a column constant on those rows keeps a scale of 1.
 * Used for dense hidden-state features, whose columns differ in scale by orders of magnitude (a few residual
 * dimensions carry most of the norm), so that one L2 penalty treats them alike. Not for sparse SAE features: centering
 * makes every entry non-zero.
 */
final class FeatureScaler {
    private final double[] mean;
    private final double[] scale;

    private FeatureScaler(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Learns each column's mean and standard deviation over {@code rows} of {@code x}. */
    static FeatureScaler fit(FeatureMatrix x, int[] rows) {
        int d = x.columns();
        double[] sum = new double[d];
        double[] sumSquares = new double[d];
        for (int r : rows) {
            for (var f : x.row(r)) {
                double v = f.getValue();
                sum[f.getIndex() - 1] += v;
                sumSquares[f.getIndex() - 1] += v * v;
            }
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / rows.length;
            double variance = Math.max(0, sumSquares[j] / rows.length - mean[j] * mean[j]);
            double std = Math.sqrt(variance);
            scale[j] = std > 1e-12 * Math.max(1, Math.abs(mean[j])) ? std : 1;
        }
        return new FeatureScaler(mean, scale);
    }

    /** Every row of {@code x}, standardized with what was learned (a dense matrix). */
    FeatureMatrix apply(FeatureMatrix x) {
        FeatureMatrix.Builder out = FeatureMatrix.builder(x.columns());
        for (int i = 0; i < x.rows(); i++) {
            out.addDense(apply(x.dense(i)));
        }
        return out.build();
    }

    float[] apply(float[] row) {
        float[] z = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = (float) ((row[j] - mean[j]) / scale[j]);
        }
        return z;
    }

    double mean(int column) {
        return mean[column];
    }

    double scale(int column) {
        return scale[column];
    }
}
