package dev.scalpel.interpret.harvest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A harvest interrupted or damaged at the end finishes with exactly the files of an uninterrupted one. */
class HarvestResumeTest {
    static LoadedModel gpt2;
    static final List<String> TEXTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        gpt2 = LoadedModel.open(HarvestTest.fixture("gpt2-tiny"));
        for (int i = 0; i < 12; i++) {
            TEXTS.add("Text number " + i + " says something " + "quite ".repeat(i % 4) + "different.");
        }
    }

    @AfterAll
    static void close() {
        gpt2.close();
    }

    private ActivationHarvester harvester(HarvestConfig config) {
        return new ActivationHarvester(gpt2.model(), TokenSource.of(gpt2, true), "gpt2-tiny", config);
    }

    private static HarvestConfig config() {
        return HarvestConfig.tokens(HarvestTest.HOOK).withShardRows(9).withBatchSize(3);
    }

    /**
     * The folder's files, byte for byte, but for run.json, whose provenance records the machine as it was when the run
     * began (libtorch's thread share changes while other jobs run): only its key, which decides resumes, is kept.
     */
    private static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                byte[] bytes = Files.readAllBytes(p);
                if (p.getFileName().toString().equals(dev.scalpel.core.run.RunFolder.RUN_FILE)) {
                    bytes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes).path("key").toString()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                all.put(p.getFileName().toString(), bytes);
            }
        }
        return all;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @Test
    void deletingTheLastShardsAndRerunningReproducesIdenticalBytes() throws IOException {
        HarvestManifest m = harvester(config()).run(TEXTS, dir, HarvestProgress.NONE);
        assertTrue(m.shards().size() >= 4, "the test needs several shards, got " + m.shards().size());
        Map<String, byte[]> reference = files(dir);

        Files.delete(dir.resolve(m.shards().getLast().file()));          // the short final shard
        List<long[]> updates = new ArrayList<>();
        harvester(config()).run(TEXTS, dir, (done, total, rows, shards) -> updates.add(new long[] {done, rows}));
        assertSameFiles(reference, files(dir));
        assertTrue(updates.getFirst()[1] > 0, "the kept shards' rows count from the start");

        for (int i = 1; i <= 3; i++) {                                   // three shards, one of them mid-text
            Files.delete(dir.resolve(m.shards().get(m.shards().size() - i).file()));
        }
        harvester(config()).run(TEXTS, dir, HarvestProgress.NONE);
        assertSameFiles(reference, files(dir));
    }

    @Test
    void anInterruptedRunFinishesWithIdenticalBytes() throws IOException {
        Path whole = dir.resolve("whole");
        harvester(config()).run(TEXTS, whole, HarvestProgress.NONE);
        Path cut = dir.resolve("cut");
        class Stop extends RuntimeException {
        }
        assertThrows(Stop.class, () -> harvester(config()).run(TEXTS, cut, (done, total, rows, shards) -> {
            if (shards >= 2) {
                throw new Stop();
            }
        }));
        HarvestManifest partial = HarvestManifest.read(cut);
        assertTrue(!partial.complete() && partial.shards().size() >= 2);
        harvester(config()).run(TEXTS, cut, HarvestProgress.NONE);
        assertSameFiles(files(whole), files(cut));
    }

    @Test
    void aFinishedHarvestIsLeftAloneAndAnotherSourceIsRefused() throws IOException {
        harvester(config()).run(TEXTS, dir, HarvestProgress.NONE);
        Map<String, byte[]> reference = files(dir);
        long[] seen = new long[1];
        harvester(config()).run(TEXTS, dir, (done, total, rows, shards) -> seen[0] = done);
        assertEquals(TEXTS.size(), seen[0]);
        assertSameFiles(reference, files(dir));

        ScalpelException e = assertThrows(ScalpelException.class,
                () -> harvester(config().withContextSize(8)).run(TEXTS, dir, HarvestProgress.NONE));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("configuration.contextSize (saved 0, now 8)"),
                e.getMessage());
        e = assertThrows(ScalpelException.class,
                () -> harvester(config()).run(TEXTS.subList(1, 5), dir, HarvestProgress.NONE));
        assertTrue(e.getMessage().contains("data.texts"), e.getMessage());
        assertSameFiles(reference, files(dir));
    }

    /**
     * The same weights with another tokenizer.json (the same vocabulary written out again: nothing a user could tell by
     * the model's name) would tokenize otherwise: refused, naming the tokenizer.
     */
    @Test
    void aHarvestWithAnotherTokenizerIsRefused() throws IOException {
        harvester(config()).run(TEXTS, dir, HarvestProgress.NONE);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path other = dir.getParent().resolve(dir.getFileName() + "-tokenizer.json");
        json.writerWithDefaultPrettyPrinter().writeValue(other.toFile(),
                json.readTree(HarvestTest.fixture("gpt2-tiny").resolve("tokenizer.json").toFile()));
        try (var tokenizer = dev.scalpel.core.text.Tokenizer.load(other)) {
            TokenSource source = TokenSource.of(tokenizer, gpt2.model().config(), true);
            ScalpelException e = assertThrows(ScalpelException.class, () -> new ActivationHarvester(gpt2.model(), source,
                    "gpt2-tiny", config()).run(TEXTS, dir, HarvestProgress.NONE));
            assertTrue(e.getMessage().contains("data.tokenizer"), e.getMessage());
        } finally {
            Files.deleteIfExists(other);
        }
    }

    /** A folder an older Scalpel harvested into (a manifest, no run.json) cannot have its source checked: refused. */
    @Test
    void aHarvestWithoutRunFileIsRefused() throws IOException {
        harvester(config()).run(TEXTS, dir, HarvestProgress.NONE);
        Files.delete(dir.resolve(dev.scalpel.core.run.RunFolder.RUN_FILE));
        ScalpelException e = assertThrows(ScalpelException.class,
                () -> harvester(config()).run(TEXTS, dir, HarvestProgress.NONE));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("without run.json"), e.getMessage());
    }
}
