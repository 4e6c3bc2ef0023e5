package dev.scalpel.core.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Hugging Face hub on loopback, speaking the protocol huggingface_hub and Scalpel use: model info at
 * {@code /api/models/{repo}/revision/{rev}}, files at {@code /{repo}/resolve/{rev}/{path}} (regular files answered
 * directly with their git blob id as ETag, LFS files with a 302 to a second server, the "CDN", on another port),
 * X-Repo-Commit / X-Linked-Etag / X-Linked-Size / X-Error-Code headers, and byte ranges on the CDN. Faults are
 * switched on per test: a transfer cut off after N bytes, a CDN that ignores Range, corrupted content, missing files.
 */
final class LoopbackHub implements AutoCloseable {
    /** One request as the servers saw it. */
    record Request(String server, String method, String path, String authorization, String range, int status) {
    }

    /** A repository: its files at one commit, which ones are in LFS, and the token it needs (null: public). */
    static final class Repo {
        final String id;
        final String commit;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final Set<String> lfs = new HashSet<>();
        String token;
        boolean gated;

        Repo(String id, String commit) {
            this.id = id;
            this.commit = commit;
        }

        /** Adds a file; *.safetensors, *.bin and *.model go to LFS, as the hub's default .gitattributes says. */
        Repo file(String path, byte[] content) {
            files.put(path, content);
            if (path.endsWith(".safetensors") || path.endsWith(".bin") || path.endsWith(".model")) {
                lfs.add(path);
            }
            return this;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** sha256 of an LFS object: the first GET of it stops after this many bytes and the connection is dropped. */
    final Map<String, Integer> cutFirstTransferAfter = new ConcurrentHashMap<>();
    /** sha -> bytes after which the first GET stops sending but keeps the connection open (a stalled transfer). */
    final Map<String, Integer> stallFirstTransferAfter = new ConcurrentHashMap<>();
    /** sha256 of an LFS object or repository path of a regular file: these bytes are served instead. */
    final Map<String, byte[]> servedInstead = new ConcurrentHashMap<>();
    /** Repository paths that are listed but whose resolve answers 404 EntryNotFound. */
    final Set<String> missing = ConcurrentHashMap.newKeySet();
    volatile boolean cdnIgnoresRange;

    LoopbackHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    /** The value for HF_ENDPOINT. */
    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    String cdnOrigin() {
        return "http://127.0.0.1:" + cdn.getAddress().getPort();
    }

    Repo add(Repo repo) {
        repos.put(repo.id, repo);
        return repo;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String server) {
        return requests.stream().filter(r -> r.server().equals(server)).toList();
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    static String sha256(byte[] content) {
        return hex(digest("SHA-256", new byte[0], content));
    }

    /** The id git gives a file's content: sha1 of "blob {size}\0" followed by the content. */
    static String gitBlobId(byte[] content) {
        return hex(digest("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content));
    }

    /** The etag the hub announces for a file, which names its blob in the cache. */
    String etagOf(Repo repo, String path) {
        byte[] content = repo.files.get(path);
        return repo.lfs.contains(path) ? sha256(content) : gitBlobId(content);
    }

    private void hub(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            if (path.startsWith("/api/models/")) {
                modelInfo(x, path.substring("/api/models/".length()));
            } else if (path.contains("/resolve/")) {
                resolve(x, path);
            } else {
                answer(x, "hub", 404, new Headers(), new byte[0]);
            }
        }
    }

    /** {@code {org}/{name}/revision/{rev}} */
    private void modelInfo(HttpExchange x, String rest) throws IOException {
        String[] parts = rest.split("/", 4);
        Repo repo = parts.length == 4 && parts[2].equals("revision") ? repos.get(parts[0] + "/" + parts[1]) : null;
        if (repo == null) {
            answer(x, "hub", 404, error("RepoNotFound", "Repository not found"), new byte[0]);
            return;
        }
        if (!repo.gated && !authorized(x, repo)) {
            answer(x, "hub", 401, error("RepoNotFound", "Invalid username or password."), new byte[0]);
            return;
        }
        if (!revisionMatches(repo, decode(parts[3]))) {
            answer(x, "hub", 404, error("RevisionNotFound", "Invalid rev id: " + decode(parts[3])), new byte[0]);
            return;
        }
        boolean blobs = "blobs=true".equals(x.getRequestURI().getRawQuery());
        List<Map<String, Object>> siblings = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : repo.files.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("rfilename", f.getKey());
            if (blobs) {
                s.put("blobId", repo.lfs.contains(f.getKey()) ? gitBlobId(pointerFile(f.getValue()))
                        : gitBlobId(f.getValue()));
                s.put("size", f.getValue().length);
                if (repo.lfs.contains(f.getKey())) {
                    s.put("lfs", Map.of("sha256", sha256(f.getValue()), "size", f.getValue().length,
                            "pointerSize", pointerFile(f.getValue()).length));
                }
            }
            siblings.add(s);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("_id", "loopback");
        info.put("id", repo.id);
        info.put("sha", repo.commit);
        info.put("gated", repo.gated ? "manual" : false);
        info.put("siblings", siblings);
        Headers h = new Headers();
        h.set("Content-Type", "application/json; charset=utf-8");
        answer(x, "hub", 200, h, JSON.writeValueAsBytes(info));
    }

    /** {@code /{org}/{name}/resolve/{rev}/{path}} */
    private void resolve(HttpExchange x, String rawPath) throws IOException {
        String[] parts = rawPath.substring(1).split("/", 5);
        Repo repo = parts.length == 5 ? repos.get(parts[0] + "/" + parts[1]) : null;
        if (repo == null) {
            answer(x, "hub", 404, error("RepoNotFound", "Repository not found"), new byte[0]);
            return;
        }
        if (!authorized(x, repo)) {
            answer(x, "hub", 401, repo.gated ? error("GatedRepo", "Access to model " + repo.id + " is restricted.")
                    : error("RepoNotFound", "Invalid username or password."), new byte[0]);
            return;
        }
        if (!revisionMatches(repo, decode(parts[3]))) {
            answer(x, "hub", 404, error("RevisionNotFound", "Invalid rev id"), new byte[0]);
            return;
        }
        String file = decode(parts[4]);
        Headers h = new Headers();
        h.set("X-Repo-Commit", repo.commit);
        byte[] content = repo.files.get(file);
        if (content == null || missing.contains(file)) {
            h.set("X-Error-Code", "EntryNotFound");
            h.set("X-Error-Message", "Entry not found");
            answer(x, "hub", 404, h, new byte[0]);
            return;
        }
        if (repo.lfs.contains(file)) {
            String sha = sha256(content);
            h.set("ETag", "\"" + gitBlobId(pointerFile(content)) + "\"");
            h.set("X-Linked-Etag", "\"" + sha + "\"");
            h.set("X-Linked-Size", Long.toString(content.length));
            h.set("Location", cdnOrigin() + "/repos/" + sha + "?X-Amz-Signature=loopback");
            answer(x, "hub", 302, h, new byte[0]);
            return;
        }
        h.set("ETag", "\"" + gitBlobId(content) + "\"");
        answer(x, "hub", 200, h, servedInstead.getOrDefault(file, content));
    }

    private void cdn(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String sha = path.startsWith("/repos/") ? path.substring("/repos/".length()) : "";
            byte[] content = repos.values().stream().flatMap(r -> r.files.values().stream())
                    .filter(c -> sha256(c).equals(sha)).findFirst().orElse(null);
            if (content == null) {
                answer(x, "cdn", 404, new Headers(), new byte[0]);
                return;
            }
            content = servedInstead.getOrDefault(sha, content);
            String range = x.getRequestHeaders().getFirst("Range");
            long from = 0;
            if (range != null && !cdnIgnoresRange) {
                from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            }
            Headers h = new Headers();
            h.set("ETag", "\"" + sha + "\"");
            h.set("Accept-Ranges", cdnIgnoresRange ? "none" : "bytes");
            int status = 200;
            if (from > 0) {
                status = 206;
                h.set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            byte[] body = Arrays.copyOfRange(content, (int) from, content.length);
            Integer cut = cutFirstTransferAfter.remove(sha);
            if (cut != null && x.getRequestMethod().equals("GET")) {
                record(x, "cdn", status);
                x.getResponseHeaders().putAll(h);
                x.sendResponseHeaders(status, body.length);
                OutputStream out = x.getResponseBody();
                out.write(body, 0, cut);
                out.flush();
                // Leaving the handler by an exception makes the JDK's server drop the connection mid-body.
                throw new IOException("loopback CDN: transfer cut after " + cut + " bytes, as the test asked");
            }
            Integer stall = stallFirstTransferAfter.remove(sha);
            if (stall != null && x.getRequestMethod().equals("GET")) {
                record(x, "cdn", status);
                x.getResponseHeaders().putAll(h);
                x.sendResponseHeaders(status, body.length);
                OutputStream out = x.getResponseBody();
                out.write(body, 0, stall);
                out.flush();
                try {
                    Thread.sleep(60_000);   // silent, connection open, until the hub is closed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("loopback CDN: stalled transfer abandoned");
            }
            answer(x, "cdn", status, h, body);
        }
    }

    private void answer(HttpExchange x, String server, int status, Headers headers, byte[] body) throws IOException {
        record(x, server, status);
        x.getResponseHeaders().putAll(headers);
        if (x.getRequestMethod().equals("HEAD")) {
            // HEAD carries the GET's length: set it by hand, since the server sends no body (and no length) itself.
            if (status == 200) {
                x.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            }
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }

    private void record(HttpExchange x, String server, int status) {
        requests.add(new Request(server, x.getRequestMethod(), x.getRequestURI().toString(),
                x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Range"), status));
    }

    private static boolean authorized(HttpExchange x, Repo repo) {
        return repo.token == null || ("Bearer " + repo.token).equals(x.getRequestHeaders().getFirst("Authorization"));
    }

    private static boolean revisionMatches(Repo repo, String revision) {
        return revision.equals("main") || (revision.length() >= 7 && repo.commit.startsWith(revision));
    }

    private static Headers error(String code, String message) {
        Headers h = new Headers();
        h.set("X-Error-Code", code);
        h.set("X-Error-Message", message);
        return h;
    }

    /** The text git stores for an LFS file: what the hub's ETag of the pointer (not of the content) is the id of. */
    private static byte[] pointerFile(byte[] content) {
        return ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(content) + "\nsize "
                + content.length + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] digest(String algorithm, byte[] prefix, byte[] content) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            d.update(prefix);
            return d.digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
