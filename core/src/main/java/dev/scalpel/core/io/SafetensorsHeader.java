package dev.scalpel.core.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A validated safetensors header.
 *
 * @param metadata the {@code __metadata__} object, empty if absent
 * @param tensors every tensor entry, in header order
 */
record SafetensorsHeader(Map<String, String> metadata, SequencedMap<String, TensorInfo> tensors) {

    SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(tensors));
    }
}
