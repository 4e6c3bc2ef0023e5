package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `reproduce editing` runs exactly the edits it is asked for, or refuses: 50 edits in batches of 100 were 100. */
class ReproduceEditingArgumentsTest {
    @ParameterizedTest(name = "--edits {0} --batch-size {1}")
    @CsvSource({"50, 100", "150, 100", "0, 10", "10, 0"})
    void editsThatAreNotWholeBatchesAreRefusedBeforeAnyWork(int edits, int batchSize) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "reproduce",
                "editing", "--tiny", "--edits", Integer.toString(edits), "--batch-size", Integer.toString(batchSize));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("must be a positive multiple of --batch-size"), err.toString());
    }

    /** A method name that is neither a method nor one of ENCORE's ablations is refused before any model is built. */
    @org.junit.jupiter.api.Test
    void anUnknownMethodIsRefusedBeforeAnyWork() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "reproduce",
                "editing", "--tiny", "--edits", "10", "--batch-size", "10", "--methods", "memit,memit+lora");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--methods: unknown editing method 'memit+lora' (rome, memit, alphaedit, "
                + "encore, ft, lora) or an ablation of ENCORE [memit+mpes, memit+norm]"), err.toString());
    }

    /** --tune names a method the run edits with, and is checked before any model is built. */
    @org.junit.jupiter.api.Test
    void tuningAMethodThatIsNotRunIsRefusedBeforeAnyWork() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "reproduce",
                "editing", "--tiny", "--edits", "10", "--batch-size", "10", "--methods", "memit",
                "--tune", "ft:normConstraint=5e-4|8e-3");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--tune ft: tunes only a method of --methods [memit]"), err.toString());
    }
}
