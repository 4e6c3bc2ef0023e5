package dev.scalpel.edit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Validation and test facts never overlap; seeds draw different samples of the test facts, each the same every time. */
class EditingFactsTest {

    private static List<EditRequest> facts(int n) {
        List<EditRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new EditRequest(Integer.toString(i), "{} is a kind of", "thing" + i, "new" + i, "old" + i,
                    List.of(), List.of(), List.of(), List.of()));
        }
        return out;
    }

    private static Set<String> ids(List<EditRequest> facts) {
        Set<String> ids = new HashSet<>();
        facts.forEach(f -> ids.add(f.caseId()));
        return ids;
    }

    @Test
    void validationAndTestPartitionTheFactsAndSeedsDrawDifferentSamples() {
        List<EditRequest> all = facts(100);
        EditingFacts split = EditingFacts.split(all, 30, "facts.json");
        assertEquals(30, split.validation().size());
        assertEquals(70, split.test().size());
        Set<String> validation = ids(split.validation());
        assertTrue(ids(split.test()).stream().noneMatch(validation::contains), "no fact in both");
        assertEquals(split, EditingFacts.split(all, 30, "facts.json"), "the split is fixed");

        var seed0 = split.testSample(20, 0);
        var seed1 = split.testSample(20, 1);
        assertEquals(seed0, split.testSample(20, 0), "a seed draws the same sample every time");
        assertNotEquals(ids(seed0), ids(seed1));
        assertTrue(ids(split.test()).containsAll(ids(seed0)) && ids(split.test()).containsAll(ids(seed1)));
        assertTrue(validation.containsAll(ids(split.validationSample(10, 3))));
    }

    @Test
    void tooFewFactsAreRefusedWithTheirCounts() {
        var e = assertThrows(ScalpelException.class, () -> EditingFacts.split(facts(10), 10, "facts.json"));
        assertEquals("facts.json: holds 10 facts, too few to hold out 10 for validation and keep test facts",
                e.getMessage());
        var sample = assertThrows(ScalpelException.class, () -> EditingFacts.split(facts(10), 4, "f").testSample(7, 0));
        assertEquals("7 edits need that many test facts; the split holds 6", sample.getMessage());
    }
}
