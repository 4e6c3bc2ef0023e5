package dev.scalpel.lab.corpus;

import dev.scalpel.core.io.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is written matches what the datasheets say: counts, hashes, record fields, license. */
class CorpusWriteTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void write() {
        CorpusFixtures.tiny().writeTo(dir);
    }

    private static JsonNode datasheet(String corpus) throws IOException {
        return CorpusJson.MAPPER.readTree(dir.resolve(corpus).resolve("datasheet.json").toFile());
    }

    private static List<JsonNode> jsonl(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), file + " ends with a newline");
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                records.add(CorpusJson.MAPPER.readTree(line));
            }
        }
        return records;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void datasheetCountsEqualWrittenRecords() throws IOException {
        for (String corpus : List.of("text", "facts", "arithmetic")) {
            JsonNode counts = datasheet(corpus).get("counts");
            for (Split split : Split.values()) {
                int lines = jsonl(dir.resolve(corpus).resolve(split.fileName() + ".jsonl")).size();
                assertEquals(counts.get(split.fileName() + ".records").asInt(), lines, corpus + " " + split);
                assertTrue(lines > 0, corpus + " " + split + " is empty");
            }
        }
        JsonNode facts = datasheet("facts").get("counts");
        assertEquals(facts.get("counterfact.records").asInt(),
                CorpusJson.MAPPER.readTree(dir.resolve("facts/counterfact.json").toFile()).size());
        assertEquals(facts.get("zsre.records").asInt(), CorpusJson.MAPPER.readTree(dir.resolve("facts/zsre.json").toFile()).size());
        JsonNode arithmetic = datasheet("arithmetic").get("counts");
        long levelOne = jsonl(dir.resolve("arithmetic/test.jsonl")).stream().filter(r -> r.get("level").asInt() == 1).count();
        assertEquals(arithmetic.get("test.level1").asLong(), levelOne);
        long characters = jsonl(dir.resolve("text/train.jsonl")).stream().mapToLong(r -> r.get("text").asText().length()).sum();
        assertEquals(datasheet("text").get("counts").get("train.characters").asLong(), characters);
    }

    @Test
    void datasheetHashesAreThoseOfTheWrittenFiles() throws IOException {
        for (String corpus : List.of("text", "facts", "arithmetic")) {
            JsonNode sheet = datasheet(corpus);
            Map<String, String> recomputed = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : sheet.get("files").properties()) {
                String actual = Sha256.of(Files.readAllBytes(dir.resolve(corpus).resolve(e.getKey())));
                assertEquals(e.getValue().asText(), actual, corpus + "/" + e.getKey());
                recomputed.put(e.getKey(), actual);
            }
            int expectedFiles = corpus.equals("facts") ? 5 : 3;
            assertEquals(expectedFiles, recomputed.size(), corpus + " lists every data file");
            assertEquals(sheet.get("content_hash").asText(), ContentHash.ofFiles(recomputed));
            assertTrue(Files.readString(dir.resolve(corpus).resolve("datasheet.md")).contains(sheet.get("content_hash").asText()));
        }
    }

    @Test
    void recordsHaveExactlyTheDocumentedFields() throws IOException {
        for (JsonNode r : jsonl(dir.resolve("text/test.jsonl"))) {
            assertEquals(List.of("text"), fieldNames(r));
        }
        for (JsonNode r : jsonl(dir.resolve("arithmetic/test.jsonl"))) {
            assertEquals(List.of("question", "answer", "level"), fieldNames(r));
            assertTrue(r.get("level").isInt());
        }
        for (JsonNode r : jsonl(dir.resolve("facts/test.jsonl"))) {
            assertEquals(List.of("id", "subject", "relation", "relation_id", "object", "prompt", "target", "target_new",
                    "paraphrase_prompts", "held_out_prompts", "neighborhood_prompts", "training_sentences", "question", "subject_synset",
                    "object_synset"), fieldNames(r));
            assertTrue(r.get("subject_synset").asText().matches("\\d{8}-n"), r.get("subject_synset").asText());
        }
    }

    @Test
    void wordNetLicenseTravelsWithTheDerivedCorpora() throws IOException {
        for (String corpus : List.of("text", "facts")) {
            String md = Files.readString(dir.resolve(corpus).resolve("datasheet.md"));
            assertTrue(md.contains("WordNet 3.1 Copyright 2011 by Princeton University"), corpus);
            assertTrue(datasheet(corpus).get("licence").asText().contains("THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\""));
        }
    }
}
