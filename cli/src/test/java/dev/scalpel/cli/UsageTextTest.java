package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help: picocli formats each description line with {@link String#format}, so a bare '%' (e.g. "95%")
 * garbles the help and prints a warning; and every command answers {@code --help}.
 */
class UsageTextTest {

    private static List<CommandLine> allCommands() {
        List<CommandLine> out = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(new Main())));
        while (!todo.isEmpty()) {
            CommandLine c = todo.removeLast();
            out.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return out;
    }

    @Test
    void everyHelpRendersWithoutWarnings() {
        List<CommandLine> commands = allCommands();
        assertTrue(commands.size() > 20, "the whole tree: " + commands.size());
        // picocli reports a line it cannot format on System.err, and prints the raw line in the help.
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (CommandLine c : commands) {
                c.getUsageMessage();
            }
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String[] command : new String[][] {{"--help"}, {"reproduce", "editing", "--help"},
            {"reproduce", "continued-pretraining", "--help"}, {"edit", "--help"}, {"lab", "build", "--help"}}) {
            var r = CliTest.scalpel(command);
            assertEquals(0, r.code(), String.join(" ", command) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: scalpel"), r.out());
        }
    }
}
