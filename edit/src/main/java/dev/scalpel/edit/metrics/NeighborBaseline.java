package dev.scalpel.edit.metrics;

import java.util.Map;

/**
 * The unedited model's greedy continuations of neighborhood prompts, by prompt: what neighbor stability compares the
 * edited model's continuations with. Taken before the first edit; a resumed run reads the saved copy.
 */
public record NeighborBaseline(Map<String, long[]> continuations) {
    public NeighborBaseline {
        continuations = Map.copyOf(continuations);
    }
}
