package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only folder, made real: the child {@code scalpel} runs in its own mount namespace
 * ({@code unshare}, no root needed where the kernel allows user namespaces) over a small tmpfs. Each job must stop
 * with exit code 2 and an error naming the folder and the reason, leave no half-written or temporary file, and keep
 * what it finished before the disk filled.
 */
class DiskFaultsTest {
    @TempDir
    Path dir;

    private static boolean namespaces;

    @BeforeAll
    static void checkNamespaces() throws Exception {
        try {
            Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                    "mount -t tmpfs -o size=64k tmpfs /tmp").redirectErrorStream(true).start();
            namespaces = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            namespaces = false;
        }
    }

    /** Runs {@code setup}, then scalpel, then {@code after} (its output kept in LISTING), in one mount namespace. */
    private ChildScalpel namespaced(Path home, String setup, String after) {
        String script = setup + " || exit 99; \"$@\"; code=$?; " + after + "; exit $code";
        return new ChildScalpel(home, List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script,
                "sh"), Map.of());
    }

    private static Path texts(Path dir) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            lines.add("Line " + i + ": the quick brown fox jumps over " + (i % 7) + " lazy dogs near the river.");
        }
        return Files.write(dir.resolve("texts.txt"), lines);
    }

    @Test
    void aFullDiskStopsTheHarvestNamingTheFolderAndKeepsTheFinishedShards() throws Exception {
        assumeTrue(namespaces, "this kernel refuses unprivileged user and mount namespaces");
        Path data = texts(dir);
        Path home = dir.resolve("home");
        Path small = Files.createDirectories(dir.resolve("small"));
        Path listing = dir.resolve("listing.txt");
        ChildScalpel child = namespaced(home, "mount -t tmpfs -o size=96k tmpfs " + small,
                "find " + small + " -type f -printf '%P %s\\n' > " + listing);
        ChildScalpel.Finished r = child.run("full", "sae", "train", "--model", CliTest.fixture("gpt2-tiny").toString(),
                "--hook", "blocks.1.hook_resid_post", "--data", data.toString(), "--d-sae", "32", "--k", "4",
                "--steps", "20", "--batch-size", "64", "--shard-rows", "256", "--out", small.resolve("run").toString());
        assertEquals(2, r.code(), r.err() + r.out());
        String error = errorLine(r.err());
        assertTrue(error.startsWith("error: " + small.resolve("run")) && error.contains("No space left on device"),
                "the error names the folder and the reason: " + error);
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), "no stack trace: " + r.err());
        List<String> files = Files.readAllLines(listing);
        assertTrue(files.stream().noneMatch(f -> f.contains(".tmp")), "no temporary file is left: " + files);
        assertTrue(files.stream().anyMatch(f -> f.startsWith("run/activations/" + "shard-00000")),
                "the shards written before the disk filled are kept: " + files);
    }

    @Test
    void aReadOnlyLabFolderIsNamedInTheError() throws Exception {
        assumeTrue(namespaces, "this kernel refuses unprivileged user and mount namespaces");
        Path home = dir.resolve("home");
        Path lab = Files.createDirectories(home.resolve("lab"));
        ChildScalpel child = namespaced(home, "mount -t tmpfs -o size=1m,ro tmpfs " + lab, "true");
        ChildScalpel.Finished r = child.run("readonly", "lab", "build", "lab-lm", "--tiny", "--quiet");
        assertEquals(2, r.code(), r.err() + r.out());
        String error = errorLine(r.err());
        assertTrue(error.startsWith("error: ") && error.contains(lab.toString()) && error.contains("Read-only file system"),
                "the error names the folder and the reason: " + error);
        assertFalse(error.contains("internal error"), error);
    }

    /** The error line (other lines, such as the thread-share notice, may come before it), or all of stderr. */
    private static String errorLine(String err) {
        return err.lines().filter(l -> l.startsWith("error: ")).reduce((a, b) -> b).orElse(err.strip());
    }
}
