package dev.scalpel.interpret.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.io.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Fixture paths (written by tools/fixtures/sae_io_fixtures.py) and helpers shared by the SAE tests. */
final class SaeFixtures {
    static final String GEMMA_SCOPE = "gemma-scope-2b-pt-res/layer_5/width_64/average_l0_12";
    static final int D_IN = 16;
    static final int D_SAE = 64;

    private SaeFixtures() {}

    static Path sae(String name) {
        try {
            return Path.of(SaeFixtures.class.getResource("/sae/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture sae/" + name, e);
        }
    }

    /** Reference inputs and numpy-computed outputs of one fixture SAE: x [8, 16], f [8, 64], x_hat [8, 16]. */
    record Expected(float[] x, float[] f, float[] xHat, int rows) {
        NDArray x(NDManager m) {
            return m.create(x, new Shape(rows, x.length / rows));
        }
    }

    static Expected expected(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(sae("expected/" + name + ".safetensors"))) {
            return new Expected(f.toFloats("x"), f.toFloats("f"), f.toFloats("x_hat"), (int) f.info("x").dim(0));
        }
    }

    /** |a - e| <= tol * (1 + |e|) elementwise, reporting the first offender. */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])))) {
                fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** Copies a fixture folder (flat) into {@code into}, so a test may damage the copy. */
    static Path copy(Path folder, Path into) {
        try {
            Files.createDirectories(into);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    Files.copy(f, into.resolve(f.getFileName()));
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JumpReLU SAE that reconstructs the first {@code covered} coordinates exactly when they exceed the threshold in
     * magnitude, and ignores the others: W_enc = [I, -I] on the covered coordinates, W_dec its transpose, no biases.
     */
    static SparseAutoencoder splitIdentity(NDManager parent, int dIn, int covered, float threshold) {
        int dSae = 2 * covered;
        float[] wEnc = new float[dIn * dSae];
        float[] wDec = new float[dSae * dIn];
        for (int i = 0; i < covered; i++) {
            wEnc[i * dSae + i] = 1;
            wEnc[i * dSae + covered + i] = -1;
            wDec[i * dIn + i] = 1;
            wDec[(covered + i) * dIn + i] = -1;
        }
        NDManager m = parent.newSubManager();
        float[] thresholds = new float[dSae];
        java.util.Arrays.fill(thresholds, threshold);
        return new SparseAutoencoder(SaeArchitecture.JUMPRELU, 0, false,
                new SaeMetadata("toy-model", "blocks.3.hook_resid_post", 128, true, true), m,
                m.create(wEnc, new Shape(dIn, dSae)), m.create(wDec, new Shape(dSae, dIn)), m.zeros(new Shape(dSae)),
                m.zeros(new Shape(dIn)), m.create(thresholds));
    }
}
