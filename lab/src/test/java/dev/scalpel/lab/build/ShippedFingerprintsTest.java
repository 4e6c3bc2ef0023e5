package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models in the lab jar are the weights their manifests name: caches and runs key on that fingerprint. */
class ShippedFingerprintsTest {
    @Test
    void everyShippedManifestNamesTheWeightsItShips(@TempDir Path dir) {
        ShippedModels shipped = ShippedModels.of(new LabHome(dir.resolve("home")));
        for (String name : new String[] {"lab-lm", "lab-mdlm"}) {
            try (TransformerModel m = Models.load(shipped.folder(name).orElseThrow().resolve("model"))) {
                assertEquals(shipped.manifest(name).orElseThrow().weightFingerprint(), WeightFingerprint.of(m), name);
            }
        }
    }
}
