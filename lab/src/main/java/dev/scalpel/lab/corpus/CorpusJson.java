package dev.scalpel.lab.corpus;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The corpora's one Jackson configuration. Pretty printing uses "\n" line ends whatever the platform (Jackson's default
 * is the system's), so a seed gives the same bytes, and the same content hash, on every machine.
 */
public final class CorpusJson {
    /** Strict reader: duplicate keys or trailing tokens in a corpus file mean the file is damaged. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One JSON value per line, for jsonl files. */
    public static final ObjectWriter LINE = MAPPER.writer();

    /** Indented with two spaces and "\n", for counterfact.json, zsre.json and datasheets. */
    public static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private CorpusJson() {}
}
