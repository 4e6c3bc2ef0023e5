package dev.scalpel.interpret.sae.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.interpret.harvest.ActivationRows;
import java.util.SplittableRandom;

/**
 * The rows a run measures before training: the activation scale (E|x| brought to sqrt(d_in) when asked), TopK's MSE
 * normalizer 1 / Var(x) and its geometric median, all on scaled rows. Small sets are used whole; larger ones are
 * sampled.
 */
record InitSample(float[] rows, int dimension, double scale) {

    static InitSample draw(ActivationRows source, int maxRows, boolean scaleActivations, SplittableRandom random) {
        int d = source.dimension();
        float[] rows;
        if (source.rowCount() <= maxRows) {
            int n = (int) source.rowCount();
            rows = new float[n * d];
            for (int i = 0; i < n; i++) {
                source.copyRow(i, rows, i * d);
            }
        } else {
            rows = source.sample(maxRows, random);
        }
        double scale = 1;
        if (scaleActivations) {
            double norms = 0;
            int n = rows.length / d;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (double) rows[i * d + j] * rows[i * d + j];
                }
                norms += Math.sqrt(s);
            }
            double mean = norms / n;
            scale = mean > 0 ? Math.sqrt(d) / mean : 1;
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) (rows[i] * scale);
            }
        }
        return new InitSample(rows, d, scale);
    }

    int count() {
        return rows.length / dimension;
    }

    /** 1 / mean((x - mean(x))^2) over every element: OpenAI's {@code mse_scale}. */
    double mseScale() {
        int n = count();
        double[] mean = new double[dimension];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                mean[j] += rows[i * dimension + j];
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                double c = rows[i * dimension + j] - mean[j] / n;
                sum += c * c;
            }
        }
        double variance = sum / ((double) n * dimension);
        return variance > 0 ? 1 / variance : 1;
    }

    float[] geometricMedian() {
        try (NDManager m = NDManager.newBaseManager()) {
            return GeometricMedian.of(m.create(rows, new Shape(count(), dimension)));
        }
    }
}
