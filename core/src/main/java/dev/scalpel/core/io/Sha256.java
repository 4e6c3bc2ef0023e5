package dev.scalpel.core.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256, the one hash Scalpel identifies data, weights and settings with, always written as 64 lower-case hex digits. */
public final class Sha256 {
    private Sha256() {
    }

    /** A fresh digest, for data that arrives in pieces (a download, a model's tensors). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digest's value as hex (the digest is reset). */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** Of the text's UTF-8 bytes. */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Of a list of texts, each as UTF-8 followed by a NUL byte, so that ["ab", "c"] and ["a", "bc"] differ: which texts,
     * in which order, a harvest or a second moment was computed from.
     */
    public static String ofTexts(List<String> texts) {
        MessageDigest md = digest();
        for (String t : texts) {
            md.update(t.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return hex(md);
    }
}
