package dev.scalpel.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.data.EditDatasets;
import dev.scalpel.edit.metrics.NgramEntropy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published dataset formats read into edit requests; metrics follow their definitions. */
class EditDataTest {

    @Test
    void counterFactRecordsReadAsPublished(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("counterfact.json");
        Files.writeString(f, """
            [{"case_id": 0, "pararel_idx": 2796,
              "requested_rewrite": {"prompt": "The mother tongue of {} is", "relation_id": "P103",
                "target_new": {"str": "English", "id": "Q1860"}, "target_true": {"str": "French", "id": "Q150"},
                "subject": "Danielle Darrieux"},
              "paraphrase_prompts": ["Shayna does this and Yossel goes still and dies. Danielle Darrieux, a native"],
              "neighborhood_prompts": ["The mother tongue of L\\u00e9on Blum is", "Montesquieu spoke the language"],
              "attribute_prompts": ["J.\\u00a0R.\\u00a0R. Tolkien is a native speaker of"],
              "generation_prompts": ["Danielle Darrieux's mother tongue is"]}]
            """);
        List<EditRequest> r = EditDatasets.read(f);
        assertEquals(1, r.size());
        EditRequest e = r.getFirst();
        assertEquals("The mother tongue of Danielle Darrieux is", e.filledPrompt());
        assertEquals("English", e.targetNew());
        assertEquals("French", e.targetTrue());
        assertEquals(List.of("French", "French"), e.neighborhoodTargets());
        assertEquals(1, e.generationPrompts().size());
    }

    @Test
    void zsreRecordsReadAsRomeAndMemitReadThem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("zsre.json");
        Files.writeString(f, """
            [{"subject": "Watts Humphrey", "src": "What university did Watts Humphrey attend?", "pred": "Trinity College",
              "rephrase": "What university did Watts Humphrey take part in?", "alt": "University of Michigan",
              "answers": ["Illinois Institute of Technology"], "loc": "nq question: who played desmond doss father in hacksaw ridge",
              "loc_ans": "Hugo Weaving", "cond": "Trinity College >> University of Michigan || What university did Watts Humphrey attend?"}]
            """);
        EditRequest e = EditDatasets.read(f).getFirst();
        assertEquals("What university did {} attend?", e.prompt());
        assertEquals("Illinois Institute of Technology", e.targetNew());
        assertEquals(List.of("who played desmond doss father in hacksaw ridge?"), e.neighborhoodPrompts());
        assertEquals(List.of("Hugo Weaving"), e.neighborhoodTargets());
    }

    @Test
    void malformedRecordIsNamedByIndexAndField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "[{\"case_id\": 0, \"requested_rewrite\": {\"prompt\": \"{} is\", \"subject\": \"x\"}}]");
        ScalpelException e = assertThrows(ScalpelException.class, () -> EditDatasets.read(f));
        assertTrue(e.getMessage().contains("record 0") && e.getMessage().contains("target_new"), e.getMessage());
    }

    @Test
    void generationEntropyFollowsItsDefinition() {
        // "a b a b": bigrams ab, ba, ab -> H2 = -(2/3 log2 2/3 + 1/3 log2 1/3); trigrams aba, bab -> H3 = 1 bit.
        double h2 = -(2.0 / 3 * Math.log(2.0 / 3) / Math.log(2) + 1.0 / 3 * Math.log(1.0 / 3) / Math.log(2));
        double expected = 100 * (2.0 / 3 * h2 + 4.0 / 3 * 1.0) / 2;
        assertEquals(expected, NgramEntropy.of(List.of("a b a b")), 1e-9);
        assertEquals(0, NgramEntropy.of(List.of("same same same same")), 1e-9, "repetition has no entropy");
    }
}
