package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shipment holds the bfloat16 weights with the figures measured on them and both seeds' results, unpacks checked
 * file by file, and serves commands until the user builds their own model.
 */
class ShippedModelsTest {

    @Test
    void aShippedModelIsMeasuredAsShippedAndServesUntilTheUserBuildsTheirOwn(@TempDir Path dir) throws IOException {
        LabHome home = new LabHome(dir.resolve("home"));
        Path shipments = dir.resolve("shipped");
        LabBuilder builder = new LabBuilder(home, true, new ShippedModels(ShippedModels.Source.folder(shipments),
                home.shipped()));
        ShippedManifest manifest = new LabShipper(builder, home).ship("lab-lm", LabProfile.TINY, List.of(42L, 7L), shipments);

        assertEquals(List.of(42L, 7L), manifest.seeds().stream().map(ShippedManifest.SeedRun::seed).toList());
        LmMetrics seed42 = new ObjectMapper().convertValue(manifest.seeds().get(0).metrics(), LmMetrics.class);
        LmMetrics seed7 = new ObjectMapper().convertValue(manifest.seeds().get(1).metrics(), LmMetrics.class);
        assertNotEquals(seed42.perplexity(), seed7.perplexity(), "another seed trains another model");
        LmMetrics asShipped = new ObjectMapper().convertValue(manifest.metrics(), LmMetrics.class);
        assertEquals("test", asShipped.split());
        assertEquals("validation", new ObjectMapper().convertValue(manifest.validationMetrics(), LmMetrics.class).split());
        // bfloat16 keeps about three significant digits: the shipped figures are close to, not equal to, float32's.
        assertEquals(seed42.perplexity(), asShipped.perplexity(), 0.02 * seed42.perplexity());
        assertEquals(seed42.kn4Perplexity(), asShipped.kn4Perplexity(), 1e-9, "the baseline does not depend on the weights");
        try (var files = Files.list(shipments.resolve("lab-lm/model"))) {
            for (Path f : files.toList()) {
                assertTrue(Files.size(f) < LabShipper.MAX_SHARD_BYTES, f + " is under the repository's limit");
            }
        }

        ShippedModels shipped = new ShippedModels(ShippedModels.Source.folder(shipments), home.shipped());
        assertTrue(shipped.ships("lab-lm"));
        assertFalse(shipped.ships("lab-mdlm"));
        // No default-profile model is built here, so commands get the shipped one.
        assertTrue(builder.usesShipped("lab-lm", LabProfile.DEFAULT) && builder.isAvailable("lab-lm", LabProfile.DEFAULT));
        Path model = builder.resolve("lab-lm", LabProfile.DEFAULT);
        assertTrue(model.startsWith(home.shipped()), model.toString());
        try (TransformerModel m = Models.load(model)) {
            assertEquals(manifest.weightFingerprint(), WeightFingerprint.of(m));
            assertTrue(m.parameters().names().stream().allMatch(n -> m.parameters().storedAs(n) == DType.BF16));
        }
        assertEquals(manifest.build().created(), builder.resolvedManifest("lab-lm", LabProfile.DEFAULT).created());
        assertThrows(ScalpelException.class, () -> builder.resolve("lab-mdlm", LabProfile.DEFAULT),
                "neither built nor shipped");

        // A damaged file is named, not loaded.
        Path damaged = dir.resolve("damaged");
        try (var walk = Files.walk(shipments)) {
            for (Path f : walk.toList()) {
                Path to = damaged.resolve(shipments.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Files.writeString(damaged.resolve("lab-lm/model/config.json"), "{}");
        ScalpelException e = assertThrows(ScalpelException.class,
                () -> new ShippedModels(ShippedModels.Source.folder(damaged), dir.resolve("unpack2")).folder("lab-lm"));
        assertTrue(e.getMessage().contains("lab-lm/model/config.json") && e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
