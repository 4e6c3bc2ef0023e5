package dev.scalpel.core.run;

import dev.scalpel.core.io.Sha256;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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

    /** The first 16 hex digits of the key's hash: short enough for a folder name, long enough never to collide. */
    public static String shortHash(JsonNode key) {
        return Sha256.of(key.toString()).substring(0, 16);
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
