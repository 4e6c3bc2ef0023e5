package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.SplittableRandom;

/**
 * The starting SAE of a run: decoder rows in random Gaussian directions at a fixed norm (1 for TopK, whose rows stay
 * unit; 0.1 for standard, as Anthropic's April 2024 update starts them), the encoder their transpose, b_enc 0, and
 * b_dec as given (the geometric median for TopK, 0 for standard). Drawn from a seeded Java generator, so a run is
 * reproducible whatever the engine.
 */
final class SaeInitialization {
    static final float STANDARD_DECODER_NORM = 0.1f;

    private SaeInitialization() {
    }

    static SparseAutoencoder fresh(SaeTrainingConfig c, int dIn, float[] bDec, SaeMetadata metadata,
                                   SplittableRandom random) {
        int dSae = c.dSae();
        float norm = c.architecture() == SaeArchitecture.TOPK ? 1f : STANDARD_DECODER_NORM;
        float[] dec = new float[Math.multiplyExact(dSae, dIn)];
        for (int i = 0; i < dSae; i++) {
            double sumSquares = 0;
            for (int j = 0; j < dIn; j++) {
                double g = random.nextGaussian();
                dec[i * dIn + j] = (float) g;
                sumSquares += g * g;
            }
            float scale = (float) (norm / Math.sqrt(sumSquares));
            for (int j = 0; j < dIn; j++) {
                dec[i * dIn + j] *= scale;
            }
        }
        float[] enc = new float[dec.length];
        for (int i = 0; i < dSae; i++) {
            for (int j = 0; j < dIn; j++) {
                enc[j * dSae + i] = dec[i * dIn + j];
            }
        }
        NDManager m = NDManager.newBaseManager();
        try {
            return new SparseAutoencoder(c.architecture(), kOf(c), true, metadata, m, m.create(enc, new Shape(dIn, dSae)),
                    m.create(dec, new Shape(dSae, dIn)), m.zeros(new Shape(dSae)), m.create(bDec), null);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A trainable copy of {@code start} (its arrays duplicated into a manager of its own). */
    static SparseAutoencoder copyOf(SparseAutoencoder start, SaeTrainingConfig c) {
        if (start.architecture() != c.architecture() || start.dSae() != c.dSae()) {
            throw new IllegalArgumentException("the starting SAE is " + start.architecture() + " with d_sae "
                    + start.dSae() + " but the config trains " + c.architecture() + " with d_sae " + c.dSae());
        }
        NDManager m = NDManager.newBaseManager();
        try {
            return new SparseAutoencoder(c.architecture(), kOf(c), start.applyBDecToInput(), start.metadata(), m,
                    copy(start.wEnc(), m), copy(start.wDec(), m), copy(start.bEnc(), m), copy(start.bDec(), m), null);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static NDArray copy(NDArray a, NDManager m) {
        NDArray c = m.create(a.toFloatArray(), a.getShape());
        return c;
    }

    private static int kOf(SaeTrainingConfig c) {
        return c.architecture() == SaeArchitecture.TOPK ? c.k() : 0;
    }

    /**
     * Rewrites an SAE trained on x * s into one that takes x and gives the same latents: W_enc * s, W_dec / s,
     * b_dec / s (in place). {@code s = 1 / scale} undoes it.
     */
    static void foldScale(SparseAutoencoder sae, float s) {
        Scalars.muli(sae.wEnc(), s);
        Scalars.divi(sae.wDec(), s);
        Scalars.divi(sae.bDec(), s);
    }
}
