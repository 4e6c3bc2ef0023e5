package dev.scalpel.lab.corpus;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash of (seed, text) that is the same on every JVM and platform, unlike {@code String.hashCode} mixed with
 * anything else we might be tempted to use. FNV-1a over the UTF-8 bytes, seeded, with SplitMix64's finalizer so that
 * neighboring keys ("fact-1", "fact-2") get unrelated values. Every seeded decision in the corpora goes through it.
 */
public final class StableHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {}

    public static long of(long seed, String text) {
        long h = FNV_OFFSET ^ mix(seed);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** A hash of (seed, purpose, number), for per-item decisions over many items without building strings. */
    public static long of(long seed, String purpose, long value) {
        return combine(of(seed, purpose), value);
    }

    /** {@link #of(long, String, long)} with the (seed, purpose) hash computed once by the caller. */
    public static long combine(long purposeHash, long value) {
        return mix(purposeHash ^ mix(value + 0x9e3779b97f4a7c15L));
    }

    /** A uniform double in [0, 1) from the hash's top 53 bits. */
    public static double unit(long seed, String text) {
        return (of(seed, text) >>> 11) * 0x1.0p-53;
    }

    /** A seed for {@link java.util.Random} derived from the corpus seed and a purpose, so streams never overlap. */
    public static long derive(long seed, String purpose) {
        return of(seed, purpose);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
