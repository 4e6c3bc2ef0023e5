package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.hub.HubSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code scalpel pull} against a small hub on loopback, and the pulled model then named by its id. */
class HubPullCommandTest {
    static final String COMMIT = "1e2d3c4b5a69788796a5b4c3d2e1f00112233445";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    HttpServer server;
    final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void startHub() throws IOException {
        for (String f : BundledModels.LLAMA_FILES) {
            try (InputStream in = getClass().getResourceAsStream("/bundled/llama-tiny/" + f)) {
                files.put(f, in.readAllBytes());
            }
        }
        files.put("README.md", "# tiny\n".getBytes(StandardCharsets.UTF_8));
        server = loopbackHub(this::serve);
    }

    /** An HTTP server on a free loopback port answering every path with {@code handler}, on a thread per request. */
    static HttpServer loopbackHub(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", handler);
        hub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hub.start();
        return hub;
    }

    @AfterEach
    void stopHub() {
        server.stop(0);
    }

    /** The two hub endpoints a pull uses; every file is a regular (non-LFS) file answered by the hub itself. */
    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String prefix = "/loop/tiny/resolve/" + COMMIT + "/";
            if (path.equals("/api/models/loop/tiny/revision/main")) {
                List<Map<String, Object>> siblings = new ArrayList<>();
                files.forEach((name, content) -> siblings.add(Map.of("rfilename", name, "size", content.length,
                        "blobId", gitBlobId(content))));
                byte[] body = JSON.writeValueAsBytes(Map.of("id", "loop/tiny", "sha", COMMIT, "siblings", siblings));
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            } else if (path.startsWith(prefix) && files.containsKey(path.substring(prefix.length()))) {
                byte[] content = files.get(path.substring(prefix.length()));
                x.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
                x.getResponseHeaders().set("X-Repo-Commit", COMMIT);
                if (x.getRequestMethod().equals("HEAD")) {
                    x.getResponseHeaders().set("Content-Length", Integer.toString(content.length));
                    x.sendResponseHeaders(200, -1);
                } else {
                    x.sendResponseHeaders(200, content.length);
                    x.getResponseBody().write(content);
                }
            } else {
                x.sendResponseHeaders(404, -1);
            }
        }
    }

    static String gitBlobId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    HubSettings settings() {
        return HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_ENDPOINT",
                "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    record Run(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    Run pull(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PullCommand(settings()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void pullPrintsTheSnapshotFolderLastAndTheIdThenNamesTheModel() throws IOException {
        Run r = pull("loop/tiny");
        assertEquals(0, r.code(), r.err());
        Path folder = home.resolve(".cache/huggingface/hub/models--loop--tiny/snapshots").resolve(COMMIT);
        assertEquals(folder.toString(), r.lastLine());
        assertTrue(r.out().contains("11 files: 11 downloaded"), r.out());
        assertEquals("", r.err(), "small files show no progress");
        for (String f : BundledModels.LLAMA_FILES) {
            assertArrayEquals(files.get(f), Files.readAllBytes(folder.resolve(f)), f);
        }

        Path resolved = ModelArgument.resolve("loop/tiny", settings());
        assertEquals(folder, resolved);
        try (LoadedModel m = LoadedModel.open(resolved)) {
            assertEquals(2, m.model().config().numLayers());
        }
        Run again = pull("loop/tiny");
        assertTrue(again.out().contains("11 files: 0 downloaded (0 B), 11 already in the cache"), again.out());
    }

    @Test
    void pullWithJsonEndsWithRepoRevisionCommitFolderAndFiles() throws IOException {
        Run r = pull("loop/tiny@main", "--include", "*.json", "--exclude", "tokenizer*", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        assertEquals("loop/tiny", j.get("repo").asText());
        assertEquals("main", j.get("revision").asText());
        assertEquals(COMMIT, j.get("commit").asText());
        assertEquals(home.resolve(".cache/huggingface/hub/models--loop--tiny/snapshots").resolve(COMMIT).toString(),
                j.get("folder").asText());
        List<String> listed = new ArrayList<>();
        j.get("files").forEach(f -> listed.add(f.asText()));
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors.index.json"), listed);
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("repo", "revision", "commit", "folder", "files"), keys);
    }
}
