package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.interpret.data.LabeledText;
import dev.scalpel.interpret.data.TrainTestSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeExperimentTest {
    private static final String[] SPAM = {"win", "free", "money", "prize", "click", "offer", "cash", "now"};
    private static final String[] HAM = {"meeting", "agenda", "project", "review", "notes", "schedule", "team", "draft"};

    /** 60 ham (40 easy, 20 hard) and 30 spam; every text also carries a word of its own ("tokenN"). */
    static List<LabeledText> data() {
        Random r = new Random(11);
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            boolean spam = i % 3 == 0;
            String[] words = spam ? SPAM : HAM;
            StringBuilder text = new StringBuilder("token" + i);
            for (int k = 0; k < 6; k++) {
                text.append(' ').append(words[r.nextInt(words.length)]);
            }
            String group = spam ? "spam" : i % 3 == 1 ? "easy-ham" : "hard-ham";
            out.add(new LabeledText("t" + i, text.toString(), spam ? "spam" : "ham", group));
        }
        return out;
    }

    @Test
    void tfidfBaselineSeparatesAnEasySetAndLearnsFromTrainingTextsOnly() {
        List<LabeledText> data = data();
        ProbeExperiment e = ProbeExperiment.standard(data, 42);
        TrainTestSplit split = e.split();
        assertEquals(18, split.testSize());
        TfIdfBaseline tfidf = TfIdfBaseline.defaults();
        LogisticProbe probe = new LogisticProbe(TfIdfBaseline.probeConfig(LogisticProbe.Config.defaults()));
        ProbeResult r = e.run("tfidf", tfidf, probe);
        assertEquals(1.0, r.test().macroF1(), 0.0);
        assertEquals(1.0, r.test().accuracy(), 0.0);
        assertEquals(List.of("ham", "spam"), r.test().classes());
        assertEquals(split.testSize(), Arrays.stream(r.test().confusion()).flatMapToInt(Arrays::stream).sum());
        assertEquals(new java.util.TreeSet<>(List.of("easy-ham", "hard-ham", "spam")),
                new java.util.TreeSet<>(r.testByGroup().keySet()));
        assertEquals(split.testSize(), r.testByGroup().values().stream().mapToInt(ClassificationMetrics.GroupAccuracy::count).sum());
        double[] chosen = r.foldMacroF1()[r.grid().indexOf(r.chosenC())];
        assertEquals(Arrays.stream(chosen).average().orElseThrow(), r.cvMacroF1Mean(), 1e-12);
        assertEquals(tfidf.vectorizer().size(), r.features());
        for (int row : split.test()) {
            assertEquals(-1, tfidf.vectorizer().column("token" + row), "a test text's own word is not in the vocabulary");
        }
        for (int row : split.train()) {
            assertTrue(tfidf.vectorizer().column("token" + row) >= 0);
        }
    }

    @Test
    void everyRunSeesTheSameSplitAndFolds() {
        List<LabeledText> data = data();
        ProbeExperiment e = ProbeExperiment.standard(data, 42);
        List<int[]> seen = new ArrayList<>();
        FeatureExtractor recording = (texts, train) -> {
            seen.add(train);
            FeatureMatrix.Builder b = FeatureMatrix.builder(1);
            texts.forEach(t -> b.addDense(new float[] {t.contains("win") || t.contains("free") ? 1f : 0f}));
            return b.build();
        };
        LogisticProbe probe = new LogisticProbe(LogisticProbe.Config.defaults());
        ProbeResult a = e.run("a", recording, probe);
        ProbeResult b = e.run("b", recording, probe);
        assertArrayEquals(e.split().train(), seen.get(0));
        assertArrayEquals(seen.get(0), seen.get(1));
        assertArrayEquals(a.foldMacroF1()[3], b.foldMacroF1()[3], 0.0);
        assertArrayEquals(a.test().confusion(), b.test().confusion());
        assertEquals(5, e.folds().size());
        assertEquals(e.split().trainSize(), e.folds().stream().mapToInt(TrainTestSplit::testSize).sum());
    }
}
