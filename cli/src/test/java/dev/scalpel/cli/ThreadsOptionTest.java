package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ThreadShare;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --threads N} is accepted by every command and fixes the job's libtorch threads; nonsense is refused. */
class ThreadsOptionTest {
    @AfterEach
    void restore() {
        ThreadShare.fixed(java.lang.Runtime.getRuntime().availableProcessors());
    }

    private static int run(StringWriter err, String... args) {
        return Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    @Test
    void aSubcommandTakesThreads() {
        StringWriter err = new StringWriter();
        // The folder does not exist, so inspect fails as bad input, but on the folder: the option itself was accepted.
        assertEquals(2, run(err, "inspect", "/nonexistent-model-folder", "--threads", "1"));
        assertTrue(err.toString().contains("nonexistent-model-folder") && !err.toString().contains("Unknown option"),
                err.toString());
        assertEquals(1, ThreadShare.wanted());
        assertEquals(0, run(err, "--threads=2", "--version"), err.toString());
        assertEquals(2, ThreadShare.wanted());
    }

    @Test
    void zeroOrAWordIsBadInput() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "inspect", "/nonexistent-model-folder", "--threads", "0"));
        assertTrue(err.toString().contains("--threads must be at least 1"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "--threads", "many", "--version"));
        assertTrue(err2.toString().contains("whole number"), err2.toString());
    }
}
