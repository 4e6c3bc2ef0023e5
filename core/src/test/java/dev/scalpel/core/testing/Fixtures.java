package dev.scalpel.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.io.SafetensorsFile;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Golden checkpoints made with Hugging Face transformers, copied into the test resources. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The folder of a fixture model, e.g. {@code gpt2-tiny}. */
    public static Path model(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name + "/config.json");
        if (url == null) {
            throw new IllegalStateException("fixture " + name + " is not on the test class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a tensor of a fixture's golden.safetensors into {@code manager} as float32 (or int64 for ids). */
    public static NDArray golden(NDManager manager, String model, String key) {
        try (SafetensorsFile f = SafetensorsFile.open(model(model).resolve("golden.safetensors"))) {
            Shape shape = new Shape(f.info(key).shape());
            return switch (f.info(key).dtype()) {
                case I64, I32, I16, I8, U8, BOOL -> manager.create(f.toLongs(key), shape);
                default -> manager.create(f.toFloats(key), shape);
            };
        }
    }

    public static boolean hasGolden(String model, String key) {
        try (SafetensorsFile f = SafetensorsFile.open(model(model).resolve("golden.safetensors"))) {
            return f.contains(key);
        }
    }

    /** Largest absolute difference between two arrays of the same shape. */
    public static float maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return a.sub(b).abs().max().getFloat();
    }
}
