package dev.scalpel.cli;

import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scalpel} command. */
@Command(name = "scalpel", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.Version.class,
        description = "Load, inspect, run, differentiate and generate with Hugging Face transformer checkpoints.",
        subcommands = {InspectCommand.class, RunCommand.class, GenerateCommand.class, EmbedCommand.class, ExportCommand.class,
                PullCommand.class, LabCommand.class, EditCommand.class, ReproduceCommand.class, SaeCommand.class, ProbeCommand.class,
                QuantizeCommand.class, QidCommand.class, NeuroCommand.class,
                TourCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    @CommandLine.Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "libtorch threads for this job (default: the cores, shared with other running Scalpel jobs and"
                    + " re-checked while it runs; OMP_NUM_THREADS also fixes it)")
    Integer threads;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code: 0 on success, 2 for bad input, 1 for an internal failure. */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line writing to the given streams (tests capture them). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        Runtime.init();
        try {
            chooseThreads(args);
        } catch (ScalpelException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ScalpelException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            // A full disk, a read-only folder or a missing permission is the machine's state, not a Scalpel bug.
            java.nio.file.FileSystemException fs = causeOf(e, java.nio.file.FileSystemException.class);
            if (fs != null) {
                commandLine.getErr().println("error: " + fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason()
                        : fs.getClass().getSimpleName()) + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : ""));
                return 2;
            }
            commandLine.getErr().println("internal error (please report it with the command you ran):");
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    // Applied before parsing, so that every command, and the model loading it starts with, runs with the share.
    private static void chooseThreads(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--threads=") ? args[i].substring("--threads=".length())
                    : args[i].equals("--threads") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                try {
                    dev.scalpel.core.ThreadShare.fixed(Integer.parseInt(value.trim()));
                } catch (NumberFormatException e) {
                    throw new ScalpelException("--threads takes a whole number, not '" + value + "'");
                }
                return;
            }
        }
        dev.scalpel.core.ThreadShare.shareWithOtherJobs();
    }

    /** Prints the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"scalpel " + (v == null ? "(development build)" : v)};
        }
    }
}
