package dev.scalpel.interpret.mathneuro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.hooks.Hooks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep: every cell once, a rerun computes nothing, a factor of 1 changes nothing, random matches the counts. */
class MathNeuroSweepTest {

    private static final List<String> TARGET = List.of("3 + 4 = 7. The answer is 7.", "9 - 2 = 7. The answer is 7.",
            "6 * 2 = 12. The answer is 12.");
    private static final List<String> GENERAL = List.of("The river ran slowly past the mill.",
            "She opened the window to let the morning in.");

    /** Sum of the logits over a fixed input: any change to any weight on its path moves it. */
    private static final class LogitSum implements MathNeuroSweep.Evaluator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String id() {
            return "logit-sum-v1";
        }

        @Override
        public Map<String, Double> evaluate(LoadedModel m) {
            calls.incrementAndGet();
            try (NDManager nd = m.model().newManager()) {
                var out = m.model().forward(TokenBatch.right(List.of(new long[] {5, 17, 42, 9, 3}), 0).request(nd),
                        Hooks.none(), nd);
                double sum = out.logits().sum().getFloat();
                out.close();
                return Map.of("logit_sum", sum);
            }
        }
    }

    @Test
    void everyCellOnceAndAResumedSweepComputesNothing(@TempDir Path work) {
        Path gpt2 = Path.of(System.getProperty("scalpel.fixtures")).resolve("gpt2-tiny");
        var config = new MathNeuroSweep.Config(List.of(0.01, 0.1), 2, 2, List.of(MathNeuroSweep.Method.MATHNEURO,
                MathNeuroSweep.Method.RANDOM, MathNeuroSweep.Method.WANDA), List.of(0.0, 1.0));
        LogitSum evaluator = new LogitSum();
        List<MathNeuroSweep.Cell> cells = new MathNeuroSweep(gpt2, TARGET, GENERAL, evaluator, work, s -> { }).run(config);
        assertEquals(1 + 2 * 2 * 3 * 2, cells.size());
        assertEquals(cells.size(), evaluator.calls.get());
        double untouched = cells.getFirst().metrics().get("logit_sum");
        for (MathNeuroSweep.Cell c : cells) {
            if (c.factor() == 1.0) {
                assertEquals(untouched, c.metrics().get("logit_sum"), 0, "scaling by 1 leaves every weight's bits");
            }
            if (c.factor() == 0.0 && c.entries() > 0) {
                assertNotEquals(untouched, c.metrics().get("logit_sum"), c.toString());
            }
        }
        for (MathNeuroSweep.Cell random : cells.stream().filter(c -> c.method().equals("random")).toList()) {
            MathNeuroSweep.Cell ours = cells.stream().filter(c -> c.method().equals("mathneuro")
                    && c.proportion() == random.proportion() && c.repeat() == random.repeat()
                    && c.factor() == random.factor()).findFirst().orElseThrow();
            assertEquals(ours.entries(), random.entries(), "the random baseline has MathNeuro's count");
        }

        LogitSum again = new LogitSum();
        List<MathNeuroSweep.Cell> resumed = new MathNeuroSweep(gpt2, TARGET, GENERAL, again, work, s -> { }).run(config);
        assertEquals(0, again.calls.get());
        assertEquals(cells, resumed);
    }
}
