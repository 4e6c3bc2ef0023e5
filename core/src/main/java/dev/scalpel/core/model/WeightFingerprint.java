package dev.scalpel.core.model;

import dev.scalpel.core.io.Sha256;
import ai.djl.ndarray.NDScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Which weights a cached result was computed from. Caches and resumable runs key on it, so that a model rebuilt or
 * edited under the same name never inherits results of its predecessor.
 */
public final class WeightFingerprint {
    private WeightFingerprint() {
    }

    /**
     * SHA-256 (hex) of the config and, per parameter, its name, shape and sum of squares. Cheap for billions of
     * parameters, and any change to the weights that matters in practice changes it.
     */
    public static String of(TransformerModel model) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            MessageDigest md = Sha256.digest();
            md.update(model.config().source().json().toString().getBytes(StandardCharsets.UTF_8));
            for (var e : model.parameters().asMap().entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(e.getValue().getShape().toString().getBytes(StandardCharsets.UTF_8));
                if (e.getValue().getDataType().isFloating()) {
                    md.update(Float.toString(e.getValue().square().sum().getFloat()).getBytes(StandardCharsets.UTF_8));
                }
            }
            return Sha256.hex(md);
        }
    }

    /** The first 16 hex digits: enough to tell models apart in folder names and messages. */
    public static String shortOf(TransformerModel model) {
        return shorten(of(model));
    }

    /** The short form of a fingerprint already computed with {@link #of} (hashing a large model twice is not free). */
    public static String shorten(String fingerprint) {
        return fingerprint.substring(0, 16);
    }
}
