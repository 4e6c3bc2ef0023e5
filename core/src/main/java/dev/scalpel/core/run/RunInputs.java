package dev.scalpel.core.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a job's result depends on besides its configuration: the weights it started from, the data it read and its seed.
 * These go into the run's key, so a resume on a rebuilt model, other data or another seed is refused.
 *
 * @param model how the user named the model (a path or a hub id); provenance only, the fingerprint decides
 * @param weights the starting weights' fingerprint ({@link dev.scalpel.core.model.WeightFingerprint})
 * @param data SHA-256 of each input the job read, by name (e.g. {@code requests}, {@code c0_corpus}), in name order
 * @param seed the seed of every random choice the job makes
 */
public record RunInputs(String model, String weights, Map<String, String> data, long seed) {
    public RunInputs {
        data = java.util.Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /** The same inputs with one more named data hash. */
    public RunInputs withData(String name, String sha256) {
        Map<String, String> more = new TreeMap<>(data);
        more.put(name, sha256);
        return new RunInputs(model, weights, more, seed);
    }
}
