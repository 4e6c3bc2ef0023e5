package dev.scalpel.core.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration for checkpoint JSON, shared because ObjectMapper is costly and thread-safe. */
final class StrictJson {
    private StrictJson() {}

    /**
     * Strict about what is ambiguous: a duplicated key would let two tools read different tensors from
     * the same header, and trailing tokens mean the declared header length is wrong. Object nodes keep
     * insertion order (Jackson's ObjectNode is backed by a LinkedHashMap), which is how header order
     * is preserved.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
}
