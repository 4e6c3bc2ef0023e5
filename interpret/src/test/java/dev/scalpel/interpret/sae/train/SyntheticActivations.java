package dev.scalpel.interpret.sae.train;

import dev.scalpel.interpret.harvest.ActivationRows;
import java.util.SplittableRandom;

/**
 * Rows with a known sparse structure: x = offset + sum of {@code active} of {@code features} random unit directions
 * with coefficients in [1, 2], plus Gaussian noise. An SAE with enough latents can explain nearly all of it.
 */
final class SyntheticActivations {
    final int dIn;
    final int features;
    final float[] directions;   // [features, dIn], unit rows
    final float[] offset;
    final float[] rows;

    SyntheticActivations(int dIn, int features, int active, int count, double noise, long seed) {
        this.dIn = dIn;
        this.features = features;
        SplittableRandom r = new SplittableRandom(seed);
        directions = new float[features * dIn];
        for (int f = 0; f < features; f++) {
            double norm = 0;
            for (int j = 0; j < dIn; j++) {
                double g = r.nextGaussian();
                directions[f * dIn + j] = (float) g;
                norm += g * g;
            }
            for (int j = 0; j < dIn; j++) {
                directions[f * dIn + j] /= (float) Math.sqrt(norm);
            }
        }
        offset = new float[dIn];
        for (int j = 0; j < dIn; j++) {
            offset[j] = (float) (0.5 * r.nextGaussian());
        }
        rows = new float[count * dIn];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dIn; j++) {
                rows[i * dIn + j] = offset[j] + (float) (noise * r.nextGaussian());
            }
            for (int a = 0; a < active; a++) {
                int f = r.nextInt(features);
                float c = (float) (1 + r.nextDouble());
                for (int j = 0; j < dIn; j++) {
                    rows[i * dIn + j] += c * directions[f * dIn + j];
                }
            }
        }
    }

    ActivationRows asRows() {
        return ActivationRows.inMemory(rows, dIn);
    }
}
