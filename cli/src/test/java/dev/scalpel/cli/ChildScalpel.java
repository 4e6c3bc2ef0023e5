package dev.scalpel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scalpel} in a separate JVM, as a user's shell would, so that a test can kill it with SIGKILL (nothing of
 * the JVM's shutdown runs) or run it inside a mount namespace with a full or read-only disk. {@code user.home} is the
 * test's own folder, so caches start empty; libtorch is found in the real DJL cache rather than extracted again.
 *
 * @param home the child's {@code user.home}
 * @param wrapper commands placed before {@code java} (e.g. {@code unshare ...}); empty for none
 * @param environment extra environment variables
 */
record ChildScalpel(Path home, List<String> wrapper, Map<String, String> environment) {
    ChildScalpel(Path home) {
        this(home, List.of(), Map.of());
    }

    record Finished(int code, String out, String err, double seconds) {
    }

    /** The command line that starts {@code scalpel args...} in a fresh JVM. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Xmx2g",
                "-Duser.home=" + home, "-DDJL_CACHE_DIR=" + djlCache(), "-Dscalpel.home=" + home,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the child with stdout and stderr going to files under {@code home} (a pipe left unread could block it). */
    Process start(String name, String... args) throws IOException {
        Files.createDirectories(home);
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .redirectOutput(home.resolve(name + ".out").toFile())
                .redirectError(home.resolve(name + ".err").toFile());
        pb.environment().putAll(environment);
        return pb.start();
    }

    /** Runs the child to its end (at most ten minutes). */
    Finished run(String name, String... args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = start(name, args);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("scalpel " + String.join(" ", args) + " did not finish in ten minutes");
        }
        return new Finished(p.exitValue(), output(name, "out"), output(name, "err"), (System.nanoTime() - start) / 1e9);
    }

    String output(String name, String stream) throws IOException {
        Path file = home.resolve(name + "." + stream);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** Where this JVM's DJL found libtorch: the child uses the same extracted copy. */
    private static String djlCache() {
        String configured = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        return configured != null ? configured : Path.of(System.getProperty("user.home"), ".djl.ai").toString();
    }
}
