package dev.scalpel.lab.build;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.Folders;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.lab.corpus.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares a lab model for shipping in the repository: the recipe built with every seed asked for (reused when built),
 * the first seed's weights stored in bfloat16 in shards under {@value #MAX_SHARD_BYTES} bytes, measured again as
 * shipped, with the build's report and a {@link ShippedManifest}, and the files listed with their SHA-256.
 */
public final class LabShipper {
    /** Below the repository's 20 MB limit per file. */
    static final long MAX_SHARD_BYTES = 19_000_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> REPORT_FILES = List.of("training-curve.svg", "history.json", "report.html",
            "report.json");

    private final LabBuilder builder;
    private final LabHome home;

    public LabShipper(LabBuilder builder, LabHome home) {
        this.builder = builder;
        this.home = home;
    }

    /**
     * Writes {@code root/NAME/} (the layout {@link ShippedModels} reads).
     *
     * @param seeds training seeds, the first one shipped; every one is built (or reused) and reported
     */
    public ShippedManifest ship(String name, LabProfile profile, List<Long> seeds, Path root) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("shipping needs at least one seed");
        }
        List<ShippedManifest.SeedRun> runs = new ArrayList<>();
        LabManifest shippedBuild = null;
        for (long seed : seeds) {
            LabManifest m = builder.build(name, profile, false, seed);
            runs.add(new ShippedManifest.SeedRun(seed, m.metrics(), m.validationMetrics()));
            shippedBuild = shippedBuild == null ? m : shippedBuild;
        }
        Path shipment = root.resolve(name);
        Path built = home.model(name, profile, seeds.getFirst());
        try {
            Folders.deleteRecursively(shipment);
            Files.createDirectories(shipment);
            try (TransformerModel trained = Models.load(built.resolve("model"))) {
                ModelWriter.saveAs(trained, shipment.resolve("model"), DType.BF16, MAX_SHARD_BYTES);
            }
            ShippedManifest manifest;
            try (TransformerModel shipped = Models.load(shipment.resolve("model"));
                 LabData data = LabData.prepare(home, profile, LabSpec.SEED)) {
                LabSpec spec = LabSpec.of(name, profile);
                manifest = new ShippedManifest(name, DType.BF16.torchName(), WeightFingerprint.of(shipped), shippedBuild,
                        builder.evaluate(shipped, data, spec, profile, Split.TEST),
                        builder.evaluate(shipped, data, spec, profile, Split.VALIDATION), runs, Instant.now().toString());
            }
            Files.createDirectories(shipment.resolve("report"));
            for (String f : REPORT_FILES) {
                Path from = built.resolve("report").resolve(f);
                if (Files.exists(from)) {
                    AtomicFiles.copy(from, shipment.resolve("report").resolve(f));
                }
            }
            AtomicFiles.writeJson(JSON, shipment.resolve("manifest.json"), manifest);
            ShippedModels.writeList(shipment);
            return manifest;
        } catch (IOException e) {
            throw new ScalpelException(shipment + ": cannot prepare the shipment of " + name + ": " + e.getMessage(), e);
        }
    }
}
