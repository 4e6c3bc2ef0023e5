package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WeightFingerprintTest {
    private static final Path LLAMA = Path.of(System.getProperty("scalpel.fixtures", "src/test/resources/fixtures"))
            .resolve("llama-tiny");

    /**
     * The same weights always give the same fingerprint, and any change to one of them, even one that leaves every sum
     * of squares as it was (a sign flip), gives another.
     */
    @Test
    void namesTheSameWeightsAlikeAndAnyChangeApart() {
        try (TransformerModel a = Models.load(LLAMA); TransformerModel b = Models.load(LLAMA)) {
            String fingerprint = WeightFingerprint.of(a);
            assertEquals(64, fingerprint.length());
            assertEquals(fingerprint, WeightFingerprint.of(b), "two loads of one checkpoint");
            assertEquals(fingerprint, WeightFingerprint.of(a), "computed twice");

            String name = b.parameters().names().stream().filter(n -> b.parameters().get(n).getShape().dimension() == 2)
                    .findFirst().orElseThrow();
            NDArray w = b.parameters().get(name);
            float[] values = w.toType(DataType.FLOAT32, false).toFloatArray();
            values[0] = -values[0];
            b.parameters().replace(name, w.getManager().create(values, w.getShape()).toType(w.getDataType(), false));
            assertNotEquals(fingerprint, WeightFingerprint.of(b), "one sign flipped in " + name);
        }
    }
}
