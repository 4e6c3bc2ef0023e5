package dev.scalpel.lab.corpus.prose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.Split;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The prose corpus: split by document, every work in every split, passages that lose and reorder nothing. */
class ProseCorpusTest {
    private static final ProseCorpus DEFAULT = ProseCorpusBuilder.build(42, Profile.DEFAULT);

    @Test
    void everyPackagedDocumentIsReadWithAUniqueId() {
        List<ProseDocument> docs = ProseSources.documents();
        assertEquals(233, docs.stream().filter(d -> d.work().equals("sotu")).count());
        assertEquals(135, docs.stream().filter(d -> d.work().equals("moby-dick")).count());
        assertEquals(docs.size(), docs.stream().map(ProseDocument::id).distinct().count());
        long words = docs.stream().mapToLong(ProseDocument::words).sum();
        assertTrue(words > 1_900_000 && words < 2_100_000, "about two million words: " + words);
    }

    @Test
    void noDocumentIsInTwoSplitsAndEachWorkGivesEachSplitItsShare() {
        Set<String> seen = new HashSet<>();
        for (Split split : Split.values()) {
            for (ProseDocument d : DEFAULT.documents().get(split)) {
                assertTrue(seen.add(d.id()), d.id() + " is in two splits");
            }
        }
        assertEquals(368, seen.size(), "the default profile uses every document");
        // 5% of each work, rounded: 12 of the 233 addresses and 7 of the 135 chapters in each held-out split.
        for (Split heldOut : List.of(Split.VALIDATION, Split.TEST)) {
            List<ProseDocument> docs = DEFAULT.documents().get(heldOut);
            assertEquals(12, docs.stream().filter(d -> d.work().equals("sotu")).count(), heldOut + " addresses");
            assertEquals(7, docs.stream().filter(d -> d.work().equals("moby-dick")).count(), heldOut + " chapters");
        }
        for (Split split : Split.values()) {
            Set<String> ids = DEFAULT.documents().get(split).stream().map(ProseDocument::id).collect(Collectors.toSet());
            assertTrue(DEFAULT.passages().get(split).stream().allMatch(p -> ids.contains(p.documentId())),
                    split + " passages come from " + split + " documents only");
        }
    }

    @Test
    void theSplitDependsOnTheSeedAndOnlyOnIt() {
        assertEquals(DEFAULT.documents().test(), ProseCorpusBuilder.build(42, Profile.DEFAULT).documents().test());
        assertNotEquals(DEFAULT.documents().test(), ProseCorpusBuilder.build(7, Profile.DEFAULT).documents().test());
    }

    @Test
    void passagesAreWholeSentencesThatRebuildTheDocument() {
        ProseDocument address = ProseSources.documents().getFirst();
        List<Passage> passages = Passages.of(address);
        assertEquals(address.text().strip().replaceAll("\\s+", " "),
                passages.stream().map(Passage::text).collect(Collectors.joining(" ")));
        for (int i = 0; i < passages.size(); i++) {
            Passage p = passages.get(i);
            assertEquals(i, p.index());
            if (i < passages.size() - 1) {
                assertTrue(p.text().split(" ").length >= Passages.TARGET_WORDS, "passage " + i + " closed early");
                assertTrue(p.text().matches("(?s).*[.!?][\"')\\]]?"), "passage " + i + " ends mid-sentence: "
                        + p.text().substring(p.text().length() - 40));
            }
        }
    }

    @Test
    void theTinyProfileKeepsAFewPassagesOfAFewDocumentsInEverySplit() {
        ProseCorpus tiny = ProseCorpusBuilder.build(42, Profile.TINY);
        for (Split split : Split.values()) {
            assertTrue(tiny.documents().get(split).stream().anyMatch(d -> d.work().equals("sotu")), split + " has an address");
            assertTrue(tiny.documents().get(split).stream().anyMatch(d -> d.work().equals("moby-dick")), split + " has a chapter");
        }
        assertEquals(Profile.TINY.proseDocuments(), tiny.documents().size());
        assertTrue(tiny.passages().size() <= Profile.TINY.proseDocuments() * Profile.TINY.prosePassagesPerDocument());
    }

    @Test
    void aDocumentWithoutTextIsRefusedByName() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> new ProseDocument("sotu:x", "sotu", "x", " "));
        assertTrue(e.getMessage().contains("sotu:x"), e.getMessage());
    }
}
