package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.interpret.data.SpamAssassin;
import dev.scalpel.interpret.harvest.HarvestProgress;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.train.SaeTrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole MOSAIC grid on bert-tiny and a small spam/ham set: every cell, the baselines, caching and the claims. */
class MosaicReproductionTest {
    private static final String[] SPAM = {"win", "free", "money", "prize", "click", "offer", "cash", "now"};
    private static final String[] HAM = {"meeting", "agenda", "project", "review", "notes", "schedule", "team", "draft"};

    @TempDir
    Path dir;

    static List<LabeledText> data() {
        Random r = new Random(5);
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            boolean spam = i % 3 == 0;
            String[] words = spam ? SPAM : HAM;
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                text.append(k == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            String group = spam ? "spam-1" : i % 3 == 1 ? "easy-ham-1" : SpamAssassin.HARD_HAM;
            out.add(new LabeledText("t" + i, text.toString(), spam ? "spam" : "ham", group));
        }
        return out;
    }

    static MosaicConfig config() {
        return new MosaicConfig("blocks.%d.hook_normalized_resid_post", List.of(0, 1),
                List.of(SaeArchitecture.TOPK, SaeArchitecture.STANDARD), List.of(32), 4, 1.0, 15, 128, 3e-3, 5_000, 16,
                1.0f, 4, 4, 0, 42);
    }

    /** A listener that keeps the log lines and ignores progress. */
    static MosaicReproduction.Listener logInto(List<String> log) {
        return new MosaicReproduction.Listener() {
            @Override
            public void log(String line) {
                log.add(line);
            }

            @Override
            public HarvestProgress harvest() {
                return (a, b, c, d) -> { };
            }

            @Override
            public SaeTrainingListener training() {
                return m -> { };
            }
        };
    }

    static MosaicConfig withSteps(MosaicConfig c, int steps) {
        return new MosaicConfig(c.hookPattern(), c.layers(), c.architectures(), c.widths(), c.k(), c.l1(), steps,
                c.batchSize(), c.learningRate(), c.deadTokens(), c.contextSize(), c.threshold(), c.topN(),
                c.spliceTexts(), c.maxTexts(), c.seed());
    }

    static MosaicConfig withThreshold(MosaicConfig c, float threshold) {
        return new MosaicConfig(c.hookPattern(), c.layers(), c.architectures(), c.widths(), c.k(), c.l1(), c.steps(),
                c.batchSize(), c.learningRate(), c.deadTokens(), c.contextSize(), threshold, c.topN(),
                c.spliceTexts(), c.maxTexts(), c.seed());
    }

    /** Work saved with other settings is never reused: other steps retrain the SAEs, another threshold reprobes. */
    @Test
    void reusesNoSaeOrCellMadeWithOtherSettings() throws IOException {
        List<String> log = new ArrayList<>();
        MosaicReproduction.Listener listener = logInto(log);
        Path work = dir.resolve("work");
        MosaicConfig one = new MosaicConfig("blocks.%d.hook_normalized_resid_post", List.of(1),
                List.of(SaeArchitecture.TOPK), List.of(32), 4, 1.0, 10, 128, 3e-3, 5_000, 16, 1.0f, 4, 4, 0, 42);
        try (LoadedModel bert = LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("bert-tiny"))) {
            TokenSource tokens = TokenSource.of(bert, true);
            MosaicResults first = new MosaicReproduction(one, listener).run(bert.model(), tokens, "bert-tiny", data(), work);

            log.clear();
            MosaicResults longer = new MosaicReproduction(withSteps(one, 12), listener).run(bert.model(), tokens,
                    "bert-tiny", data(), work);
            assertEquals(1, log.stream().filter(l -> l.startsWith("training SAE")).count(), "12 steps retrain: " + log);
            assertTrue(log.stream().anyMatch(l -> l.contains("made with other settings")
                    && l.contains("training.steps (saved 10, now 12)")), "the log names what differs: " + log);
            assertTrue(log.stream().anyMatch(l -> l.contains("configuration.steps (saved 10, now 12)")), log.toString());
            assertEquals(12, longer.config().steps());
            assertEquals(first.cells().size(), longer.cells().size());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("tfidf ")), "every cell is probed again: " + log);

            log.clear();
            new MosaicReproduction(withThreshold(one, 0.5f), listener).run(bert.model(), tokens, "bert-tiny", data(),
                    work);
            assertTrue(log.stream().noneMatch(l -> l.startsWith("training SAE")), "the threshold reuses the SAE: " + log);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("reusing SAE")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("configuration.threshold (saved 1.0, now 0.5)")), log.toString());

            log.clear();
            new MosaicReproduction(one, listener).run(bert.model(), tokens, "bert-tiny", data().subList(0, 74), work);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("training SAE")), "other texts retrain: " + log);
            assertTrue(log.stream().anyMatch(l -> l.contains("data.texts (saved")), log.toString());
        }
    }

    @Test
    void runsEveryCellOnceTrainsOnTrainingTextsOnlyAndResumesFromItsCache() throws IOException {
        List<String> log = new ArrayList<>();
        MosaicReproduction.Listener listener = logInto(log);
        Path work = dir.resolve("work");
        MosaicResults first;
        MosaicResults again;
        try (LoadedModel bert = LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("bert-tiny"))) {
            TokenSource tokens = TokenSource.of(bert, true);
            first = new MosaicReproduction(config(), listener).run(bert.model(), tokens, "bert-tiny", data(), work);
            int logged = log.size();
            again = new MosaicReproduction(config(), listener).run(bert.model(), tokens, "bert-tiny", data(), work);
            List<String> second = log.subList(logged, log.size());
            assertTrue(second.stream().noneMatch(l -> l.startsWith("training SAE") || l.startsWith("pooling")
                            || l.contains("training-split token rows")),
                    "the second run reuses the saved SAEs and cells without pooling again: " + second);
        }
        // 1 TF-IDF + 2 layers x (2 hidden-state poolings + 2 SAEs x 1 width x 5 poolings x 2 binarizations).
        assertEquals(1 + 2 * (2 + 2 * 5 * 2), first.cells().size());
        assertEquals(first.cells().size(), new HashSet<>(first.cells().stream().map(MosaicResults.Cell::key).toList()).size());
        assertEquals(4, first.saes().size());
        assertEquals(first.cells(), again.cells(), "the second run reads every cell back from cells.jsonl");
        try (var runs = Files.list(work.resolve("runs"))) {
            Path cells = runs.findFirst().orElseThrow().resolve("cells.jsonl");
            assertEquals(first.cells().size(), Files.readAllLines(cells).size());
        }

        MosaicResults.Cell tfidf = first.cells().getFirst();
        assertEquals("tfidf", tfidf.probe());
        assertEquals(1.0, tfidf.testMacroF1(), 0.0, "the two vocabularies never overlap");
        for (MosaicResults.Cell c : first.cells()) {
            // The majority class (ham, 10 of the 15 test texts) scores macro-F1 (2 * 2/3 / (1 + 2/3)) / 2 = 0.4. A
            // cell whose features are constant (binarized at 1.0, a mean rarely exceeds it and a standard SAE's sum
            // always does) can only predict it, and must score exactly that.
            boolean constant = c.meanNonZeros() == 0 || c.binarize() != null && c.width() != null
                    && c.meanNonZeros() == c.width();
            if (constant) {
                assertEquals(0.4, c.testMacroF1(), 1e-9, "no information, the majority class: " + c);
            } else if (c.probe().equals("hidden_state")) {
                assertTrue(c.testMacroF1() > 0.4, "hidden states beat the majority class: " + c);
            }
            assertTrue(c.testMacroF1() <= 1, c.toString());
            assertFalse(Double.isNaN(c.hardHamAccuracy()), "the data have a hard-ham group: " + c);
        }
        // Fifteen test texts make a single SAE cell noisy; the best pooling of each SAE must beat the majority class.
        java.util.Map<String, Double> bestPerSae = new java.util.TreeMap<>();
        first.cells().stream().filter(c -> c.probe().equals("sae")).forEach(c -> bestPerSae.merge(
                c.layer() + "-" + c.architecture(), c.testMacroF1(), Math::max));
        assertEquals(4, bestPerSae.size());
        bestPerSae.forEach((sae, f1) -> assertTrue(f1 > 0.4, sae + ": best test macro-F1 " + f1));
        for (MosaicResults.SaeSummary s : first.saes()) {
            if (s.architecture().equals("topk")) {
                assertEquals(4.0, s.l0(), 0.0, "TopK fires exactly k latents");
            }
            assertEquals("EMBEDDING_COSINE", s.spliceMeasure());
        }
        // The SAEs saw the training split's tokens only (60 of 75 texts).
        Pattern rows = Pattern.compile("([\\d,]+) training-split token rows of ([\\d,]+)");
        long matched = log.stream().map(rows::matcher).filter(Matcher::find).peek(m -> {
            long train = Long.parseLong(m.group(1).replace(",", ""));
            long all = Long.parseLong(m.group(2).replace(",", ""));
            assertTrue(train < all && train > 0.7 * all, m.group());
        }).count();
        assertEquals(2, matched, "one line per layer, in the first run only");

        String claims = MosaicClaims.markdown(first);
        assertTrue(claims.contains("1. Binarized summed SAE features") && claims.contains("2. They beat TF-IDF"), claims);
        assertTrue(claims.contains("(60 train / 15 test, 5 folds)") || claims.contains("60 train / 15 test"), claims);
    }
}
