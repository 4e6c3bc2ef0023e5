package dev.scalpel.core.model;

import dev.scalpel.core.io.Sha256;
import ai.djl.ndarray.NDArray;
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
     * SHA-256 (hex) of the config and, per parameter, its name, shape, data type and bytes as held in memory. The bytes,
     * not a reduction of them: a sum computed by libtorch depends on how many threads split it (a job that shares the
     * machine gets fewer), so a fingerprint built on one named the same weights differently from run to run and resumable
     * work keyed by it was silently redone. Hashing reads every byte once (about a second per GB).
     */
    public static String of(TransformerModel model) {
        MessageDigest md = Sha256.digest();
        md.update(model.config().source().json().toString().getBytes(StandardCharsets.UTF_8));
        for (var e : model.parameters().asMap().entrySet()) {
            NDArray value = e.getValue();
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            md.update(value.getShape().toString().getBytes(StandardCharsets.UTF_8));
            md.update(value.getDataType().name().getBytes(StandardCharsets.UTF_8));
            // Native byte order throughout: the same weights in memory give the same bytes on every machine we run on.
            md.update(value.toByteBuffer());
        }
        return Sha256.hex(md);
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
