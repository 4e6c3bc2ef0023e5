package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Progress written to a file is plain lines, one per percent, and a resumed run's time left comes from the steps this
 * process ran: resumed at step 500 of 1,000 at one second per step, the tenth step reports at 9 s on the clock, so 490
 * steps left at 0.9 s each are 7 minutes 21 (counting the 500 resumed steps would make it half that).
 */
class ProgressListenerTest {

    @Test
    void aLogGetsOneLinePerPercentAndAResumedRunEstimatesFromItsOwnPace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        try (var listener = new ProgressListener("lab-lm", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false, () -> now[0])) {
            for (long step = 500; step < 1000; step++) {
                if (step == 700) {
                    listener.onEvaluation(step, 3.5);
                }
                listener.onStep(step, 1000, 2.5, 1e-3, 1, 3000);
                now[0] += 1_000_000_000L;
            }
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "no carriage returns in a log");
        List<String> lines = log.lines().toList();
        assertEquals(50, lines.size(), log);
        assertEquals("lab-lm step 510/1,000 (51%) loss 2.500 3,000 tok/s, 0:07:21 left", lines.getFirst());
        assertTrue(lines.get(20).contains("(val 3.500)"), lines.get(20));
        assertTrue(lines.getLast().startsWith("lab-lm step 1,000/1,000 (100%)") && lines.getLast().endsWith("0:00:00 left"),
                lines.getLast());
    }
}
