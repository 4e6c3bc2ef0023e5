package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scalpel pull} in a real child process, killed with SIGKILL at a random moment of a throttled download from a
 * hub on loopback, then run again: the second run asks only for the missing bytes (a Range request) and the file in
 * the cache is exactly the served one.
 */
class KilledDownloadTest {
    private static final String COMMIT = HubPullCommandTest.COMMIT;
    private static final int SIZE = 3 << 20;
    private static final int CHUNK = 32 << 10;

    @TempDir
    Path dir;
    HttpServer server;
    final byte[] blob = new byte[SIZE];
    final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final long seed = Long.getLong("scalpel.kill.seed", new Random().nextLong());

    @BeforeEach
    void startHub() throws IOException {
        new Random(11).nextBytes(blob);
        server = HubPullCommandTest.loopbackHub(this::serve);
    }

    @AfterEach
    void stopHub() {
        server.stop(0);
    }

    /** One file, sent in 32 KiB pieces 15 ms apart (about 1.5 s), honoring {@code Range: bytes=N-}. */
    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (path.equals("/api/models/loop/big/revision/main")) {
                byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("id", "loop/big", "sha", COMMIT, "siblings",
                        List.of(Map.of("rfilename", "weights.safetensors", "size", SIZE,
                                "blobId", HubPullCommandTest.gitBlobId(blob)))));
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
                return;
            }
            if (!path.equals("/loop/big/resolve/" + COMMIT + "/weights.safetensors")) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.getResponseHeaders().set("ETag", "\"" + HubPullCommandTest.gitBlobId(blob) + "\"");
            x.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            if (x.getRequestMethod().equals("HEAD")) {
                x.getResponseHeaders().set("Content-Length", Integer.toString(SIZE));
                x.sendResponseHeaders(200, -1);
                return;
            }
            String range = x.getRequestHeaders().getFirst("Range");
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                ranges.add(range);
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
                x.sendResponseHeaders(206, SIZE - from);
            } else {
                x.sendResponseHeaders(200, SIZE);
            }
            OutputStream out = x.getResponseBody();
            for (int at = from; at < SIZE; at += CHUNK) {
                out.write(blob, at, Math.min(CHUNK, SIZE - at));
                out.flush();
                Thread.sleep(15);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client was killed mid-transfer: that is the test.
        }
    }

    @Test
    void aKilledPullResumesWithARangeRequestAndEndsWithTheServedBytes() throws Exception {
        Path home = dir.resolve("home");
        ChildScalpel child = new ChildScalpel(home, List.of(), Map.of("HF_HOME", home.resolve("hf").toString(),
                "HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort()));
        Path incomplete = home.resolve("hf/hub/models--loop--big/blobs");
        Process p = child.start("pull-killed", "pull", "loop/big");
        // Killed at a random moment after the first bytes arrive and before the last: mid-transfer by construction.
        double fraction = 0.1 + 0.7 * new Random(seed).nextDouble();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partialBytes(incomplete) < fraction * SIZE && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "seed " + seed + ": the pull ended before the kill: " + child.output("pull-killed", "err"));
        long before = partialBytes(incomplete);
        p.destroyForcibly();
        p.waitFor();
        assertEquals(137, p.exitValue(), "killed by SIGKILL");

        ChildScalpel.Finished again = child.run("pull-resumed", "pull", "loop/big");
        assertEquals(0, again.code(), again.err() + again.out());
        String context = "seed " + seed + ": killed with " + before + " of " + SIZE + " bytes";
        assertEquals(1, ranges.size(), context + ": one Range request, from the resumed run: " + ranges);
        int from = Integer.parseInt(ranges.getFirst().replaceAll("\\D", ""));
        assertTrue(from > 0 && from <= SIZE, context + ": " + ranges);
        Path file = home.resolve("hf/hub/models--loop--big/snapshots").resolve(COMMIT).resolve("weights.safetensors");
        assertArrayEquals(blob, Files.readAllBytes(file), context);
        try (var left = Files.list(incomplete)) {
            assertTrue(left.noneMatch(f -> f.toString().endsWith(".incomplete")), context + ": no partial file is left");
        }
    }

    private static long partialBytes(Path blobs) throws IOException {
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        try (var files = Files.list(blobs)) {
            long total = 0;
            for (Path f : files.filter(f -> f.toString().endsWith(".incomplete")).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
