package dev.scalpel.lab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.text.TextDocument;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seed fixes the corpora byte for byte; another seed reorders and resplits them. */
class CorpusDeterminismTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedWritesIdenticalFiles() throws IOException {
        LabCorpus first = CorpusFixtures.tiny();
        LabCorpus second = LabCorpus.build(CorpusFixtures.SEED, Profile.TINY);
        List<Datasheet> a = first.writeTo(dir.resolve("a"));
        List<Datasheet> b = second.writeTo(dir.resolve("b"));
        assertEquals(a, b);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("a"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(4 * 5 + 3, files.size(),
                "3 splits + 2 datasheets per corpus, plus counterfact.json, zsre.json and the prose's documents.json");
        for (Path file : files) {
            Path twin = dir.resolve("b").resolve(dir.resolve("a").relativize(file));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(twin), "bytes of " + file.getFileName());
        }
    }

    @Test
    void differentSeedGivesDifferentOrderAndHashes() {
        LabCorpus a = CorpusFixtures.tiny();
        LabCorpus b = LabCorpus.build(CorpusFixtures.SEED + 1, Profile.TINY);
        assertNotEquals(a.text().documents().train().stream().map(TextDocument::text).toList(),
                b.text().documents().train().stream().map(TextDocument::text).toList());
        assertNotEquals(a.facts().facts().train().stream().map(Fact::id).toList(),
                b.facts().facts().train().stream().map(Fact::id).toList());
        assertNotEquals(a.arithmetic().problems().train().stream().map(WordProblem::question).toList(),
                b.arithmetic().problems().train().stream().map(WordProblem::question).toList());
        // The seed also decides which facts are held out.
        assertNotEquals(new HashSet<>(a.facts().facts().test().stream().map(Fact::id).toList()),
                new HashSet<>(b.facts().facts().test().stream().map(Fact::id).toList()));
    }

    // Speed is a benchmark's business, not a unit test's; this checks the TINY profile's size.
    @Test
    void tinyProfileHasAFewHundredItemsOfEachKind() {
        LabCorpus corpus = LabCorpus.build(WordNet.shared(), 2, Profile.TINY);
        assertTrue(corpus.text().documents().size() >= 300 && corpus.text().documents().size() <= 400,
                "a few hundred text documents: " + corpus.text().documents().size());
        assertTrue(corpus.facts().facts().size() >= 100, "facts: " + corpus.facts().facts().size());
        assertEquals(4 * (60 + 15 + 15), corpus.arithmetic().problems().size());
    }
}
