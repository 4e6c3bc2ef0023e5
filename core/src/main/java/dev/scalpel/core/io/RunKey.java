package dev.scalpel.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What determines a resumable job's result, written as a JSON object next to its saved state: compared field by field
 * when the job resumes (so that a refusal can name what differs) and hashed into folder names (so that work made with
 * other settings lands beside, never on top of, the saved one).
 */
public final class RunKey {
    private RunKey() {
    }

    /** SHA-256 of the bytes, as 64 hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first 16 hex digits of the key's hash: short enough for a folder name, long enough never to collide. */
    public static String shortHash(JsonNode key) {
        return sha256(key.toString()).substring(0, 16);
    }

    /**
     * Every field whose value differs between a saved key and the current one, as {@code "training.steps (saved 15, now
     * 30)"}, nested objects by dotted path. Values are compared as JSON text: a long read back from a file is an int
     * node, equal in value but not in type.
     */
    public static List<String> differences(JsonNode saved, JsonNode now) {
        List<String> out = new ArrayList<>();
        collect("", saved, now, out);
        return out;
    }

    private static void collect(String path, JsonNode saved, JsonNode now, List<String> out) {
        if (saved != null && now != null && saved.isObject() && now.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            now.fieldNames().forEachRemaining(names::add);
            saved.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                collect(path.isEmpty() ? name : path + "." + name, saved.get(name), now.get(name), out);
            }
            return;
        }
        String was = saved == null ? "nothing" : saved.toString();
        String is = now == null ? "nothing" : now.toString();
        if (!was.equals(is)) {
            out.add(path + " (saved " + was + ", now " + is + ")");
        }
    }
}
