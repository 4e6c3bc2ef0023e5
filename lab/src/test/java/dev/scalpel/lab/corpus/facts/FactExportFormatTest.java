package dev.scalpel.lab.corpus.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalpel.lab.corpus.CorpusFixtures;
import dev.scalpel.lab.corpus.CorpusJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * counterfact.json and zsre.json have the published layout: the same field names, nesting, order and JSON types as
 * records of the files ROME and MEMIT download. The published records below are quoted from the ROME paper's
 * appendix (CounterFact case 0) and MEMIT's zsRE evaluation file; a reader written for them reads ours.
 */
class FactExportFormatTest {
    private static final String PUBLISHED_COUNTERFACT = """
            {"case_id": 0, "pararel_idx": 2796,
             "requested_rewrite": {"prompt": "The mother tongue of {} is", "relation_id": "P103",
               "target_new": {"str": "English", "id": "Q1860"}, "target_true": {"str": "French", "id": "Q150"},
               "subject": "Danielle Darrieux"},
             "paraphrase_prompts": ["Shayna does this and Yossel goes still and dies. Danielle Darrieux, a native"],
             "neighborhood_prompts": ["The mother tongue of L\\u00e9on Blum is"],
             "attribute_prompts": ["J. R. R. Tolkien is a native speaker of"],
             "generation_prompts": ["Danielle Darrieux's mother tongue is"]}""";
    private static final String PUBLISHED_ZSRE = """
            {"subject": "Watts Humphrey", "src": "What university did Watts Humphrey attend?",
             "pred": "Trinity College", "rephrase": "What university did Watts Humphrey take part in?",
             "alt": "University of Michigan", "answers": ["Illinois Institute of Technology"],
             "loc": "nq question: who played desmond doss father in hacksaw ridge", "loc_ans": "Hugo Weaving",
             "cond": "Trinity College >> University of Michigan || What university did Watts Humphrey attend?"}""";

    @TempDir
    static Path dir;
    static JsonNode counterFact;
    static JsonNode zsre;

    @BeforeAll
    static void write() throws IOException {
        CorpusFixtures.tiny().writeTo(dir);
        counterFact = CorpusJson.MAPPER.readTree(dir.resolve("facts/counterfact.json").toFile());
        zsre = CorpusJson.MAPPER.readTree(dir.resolve("facts/zsre.json").toFile());
    }

    /** Every field path in order with its JSON type, array elements folded into "[]": the record's shape. */
    private static List<String> shape(JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        out.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                out.addAll(shape(f.getValue(), path + "." + f.getKey()));
            }
        } else if (node.isArray() && !node.isEmpty()) {
            out.addAll(shape(node.get(0), path + "[]"));
        }
        return out;
    }

    @Test
    void counterFactRecordsHaveThePublishedShape() throws IOException {
        List<String> published = shape(CorpusJson.MAPPER.readTree(PUBLISHED_COUNTERFACT), "");
        assertTrue(counterFact.isArray() && !counterFact.isEmpty());
        for (int i = 0; i < counterFact.size(); i++) {
            JsonNode r = counterFact.get(i);
            assertEquals(published, shape(r, ""), "record " + i);
            assertTrue(r.get("case_id").isInt());
            assertEquals(i, r.get("case_id").asInt());
        }
    }

    @Test
    void counterFactContentFollowsThePublishedConventions() {
        for (JsonNode r : counterFact) {
            JsonNode rewrite = r.get("requested_rewrite");
            String prompt = rewrite.get("prompt").asText();
            assertEquals(1, prompt.split("\\{}", -1).length - 1, prompt);
            for (String target : List.of("target_new", "target_true")) {
                String str = rewrite.get(target).get("str").asText();
                assertFalse(str.startsWith(" ") || str.isBlank(), "published targets carry no leading space: '" + str + "'");
            }
            assertFalse(rewrite.get("target_new").get("str").asText().equals(rewrite.get("target_true").get("str").asText()));
            String subject = rewrite.get("subject").asText();
            for (JsonNode p : r.get("paraphrase_prompts")) {
                assertFalse(p.asText().contains("{}"), p.asText());
            }
            for (JsonNode p : r.get("generation_prompts")) {
                assertTrue(p.asText().contains(subject), p.asText());
            }
            assertFalse(r.get("neighborhood_prompts").isEmpty());
        }
    }

    @Test
    void zsreRecordsHaveThePublishedShape() throws IOException {
        List<String> published = shape(CorpusJson.MAPPER.readTree(PUBLISHED_ZSRE), "");
        assertTrue(zsre.isArray() && !zsre.isEmpty());
        for (JsonNode r : zsre) {
            assertEquals(published, shape(r, ""), r.toString());
        }
    }

    @Test
    void zsreRecordsReadLikeMemitExpects() {
        for (JsonNode r : zsre) {
            String subject = r.get("subject").asText();
            String src = r.get("src").asText();
            // MEMIT's reader builds the rewrite prompt as src.replace(subject, "{}") and asserts the loc prefix.
            assertTrue(src.contains(subject), src);
            assertTrue(src.endsWith("?") && r.get("rephrase").asText().endsWith("?"));
            assertTrue(r.get("loc").asText().startsWith(ZsreRecord.LOC_PREFIX), r.get("loc").asText());
            assertFalse(r.get("loc").asText().endsWith("?"), "the reader appends the question mark");
            assertFalse(java.util.regex.Pattern.compile("(?i)(?<![a-z])" + java.util.regex.Pattern.quote(subject) + "(?![a-z])")
                    .matcher(r.get("loc").asText()).find(), "locality question about another subject: " + r);
            assertEquals(1, r.get("answers").size());
            assertEquals(r.get("pred").asText(), r.get("answers").get(0).asText());
            assertFalse(r.get("alt").asText().equals(r.get("pred").asText()));
            assertEquals(r.get("pred").asText() + " >> " + r.get("alt").asText() + " || " + src, r.get("cond").asText());
        }
    }
}
