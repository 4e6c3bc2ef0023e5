package dev.scalpel.core.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hub's HTTP protocol, on the JDK's client: requests, redirects, and what each answer means.
 *
 * <p>Redirects are followed here rather than by the client, because the token must go to the hub only: the hub
 * sends LFS files to a CDN with a pre-signed URL (302), and the CDN must never see the user's token. The token is
 * sent to the endpoint's origin (scheme, host and port), on every path there, and nowhere else.
 */
final class HubHttp implements AutoCloseable {
    private static final int MAX_REDIRECTS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for response headers; the body of a download has no overall limit. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final String USER_AGENT = "scalpel (java.net.http)";

    /**
     * What a HEAD of {@code resolve/{commit}/{path}} says about a file.
     *
     * @param commit {@code X-Repo-Commit}
     * @param etag {@code X-Linked-Etag}, else {@code ETag}, without quotes or {@code W/}
     * @param size {@code X-Linked-Size}, else {@code Content-Length}
     * @param location where to GET the bytes: the CDN a redirect pointed to, or the hub URL itself
     */
    record FileHead(String commit, String etag, long size, URI location) {
    }

    private final HttpClient client;
    private final URI endpoint;
    private final String token;

    HubHttp(HubSettings settings) {
        this.endpoint = URI.create(settings.endpoint() + "/");
        this.token = settings.token();
        // HTTP/1.1: one file per connection and plain byte ranges; on http:// endpoints (mirrors, tests) it also
        // avoids the h2c upgrade dance that some proxies mishandle.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** GETs an API answer as text, following redirects (a renamed repository answers 307 to its new name). */
    String getText(URI uri, ModelRef ref) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<String> r = send(request(current).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Optional<URI> next = redirect(r, current);
            if (next.isPresent()) {
                current = next.get();
                continue;
            }
            if (r.statusCode() != 200) {
                throw HubErrors.forStatus(r.statusCode(), r.headers(), current, ref, null, token != null, endpoint());
            }
            return r.body();
        }
        throw tooManyRedirects(uri);
    }

    /**
     * HEADs a file's resolve URL. Redirects within the hub are followed (renamed repositories); a redirect to another
     * origin is not: it is where the file's bytes are, and its headers are the file's metadata, as huggingface_hub
     * reads them.
     */
    FileHead head(URI uri, ModelRef ref, String file) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(current).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity").build(), HttpResponse.BodyHandlers.discarding());
            Optional<URI> next = redirect(r, current);
            if (next.isPresent() && sameOrigin(next.get(), endpoint)) {
                current = next.get();
                continue;
            }
            if (next.isEmpty() && r.statusCode() != 200) {
                throw HubErrors.forStatus(r.statusCode(), r.headers(), current, ref, file, token != null, endpoint());
            }
            HttpHeaders h = r.headers();
            String commit = h.firstValue("X-Repo-Commit").orElse(null);
            String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
            OptionalLong size = parseSize(h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")));
            if (commit == null || etag == null || size.isEmpty()) {
                throw new HubException(HubException.Reason.PROTOCOL, ref + ": " + file + ": the answer of " + current
                        + " lacks " + (commit == null ? "X-Repo-Commit" : etag == null ? "an ETag" : "the file size")
                        + "; a proxy or firewall may be answering instead of the hub (check HF_ENDPOINT and proxy"
                        + " settings)");
            }
            return new FileHead(commit, etag, size.getAsLong(), next.orElse(current));
        }
        throw tooManyRedirects(uri);
    }

    /**
     * GETs a file's bytes from {@code offset} on ({@code Range: bytes=offset-} when offset &gt; 0), following every
     * redirect. The caller reads and closes the body; the status is 200 or 206 (any other is thrown as an error).
     */
    HttpResponse<InputStream> download(URI uri, long offset, ModelRef ref, String file) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(current).GET().header("Accept-Encoding", "identity");
            if (offset > 0) {
                b.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            Optional<URI> next = redirect(r, current);
            if (next.isPresent() || (r.statusCode() != 200 && r.statusCode() != 206)) {
                closeQuietly(r.body());
            }
            if (next.isPresent()) {
                current = next.get();
                continue;
            }
            if (r.statusCode() != 200 && r.statusCode() != 206) {
                throw HubErrors.forStatus(r.statusCode(), r.headers(), current, ref, file, token != null, endpoint());
            }
            return r;
        }
        throw tooManyRedirects(uri);
    }

    String endpoint() {
        String e = endpoint.toString();
        return e.substring(0, e.length() - 1);
    }

    @Override
    public void close() {
        client.close();
    }

    /** The ETag as a file name: huggingface_hub drops a weak-validator {@code W/} prefix and the quotes. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).header("User-Agent", USER_AGENT);
        if (token != null && sameOrigin(uri, endpoint)) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw HubErrors.forIoFailure(e, request.uri(), endpoint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.INTERRUPTED, "interrupted while talking to " + request.uri(), e);
        }
    }

    private static Optional<URI> redirect(HttpResponse<?> r, URI current) {
        int s = r.statusCode();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return Optional.empty();
        }
        String location = r.headers().firstValue("Location").orElseThrow(() -> new HubException(
                HubException.Reason.PROTOCOL, current + " answered HTTP " + s + " without a Location header"));
        try {
            return Optional.of(current.resolve(location.strip()));
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.Reason.PROTOCOL, current + " redirected to a malformed URL: " + location,
                    e);
        }
    }

    private static OptionalLong parseSize(Optional<String> header) {
        if (header.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(header.get().strip());
            return v >= 0 ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static HubException tooManyRedirects(URI uri) {
        return new HubException(HubException.Reason.PROTOCOL, uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing to keep from a body we are discarding.
        }
    }
}
