package dev.scalpel.core.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a result came from: its inputs (model, weights, data, seed), the code and the machine, and details a reader
 * needs to interpret it (which request file, which corpus), written into {@code run.json} and {@code results.json}.
 */
public record Provenance(RunInputs inputs, String codeVersion, Machine machine, Map<String, String> details) {
    public Provenance {
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /** The provenance of a run starting now, in this process, on this machine. */
    public static Provenance of(RunInputs inputs, Map<String, String> details) {
        return new Provenance(inputs, CodeVersion.current(), Machine.describe(), details);
    }
}
