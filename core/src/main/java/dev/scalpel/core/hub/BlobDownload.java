package dev.scalpel.core.hub;

import dev.scalpel.core.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings one file's bytes into {@code blobs/{etag}}: appended to {@code blobs/{etag}.incomplete} (resumed with a
 * Range request when a previous transfer broke off), checked against the announced size and hash, then renamed into
 * place in one step, so a blob under its final name is always whole and verified.
 */
final class BlobDownload {
    private static final int BUFFER_BYTES = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /**
     * What the finished file must be.
     *
     * @param size its length in bytes
     * @param sha256 the sha256 of its content (LFS files: it is also their etag), or null
     * @param gitBlobSha1 the git blob id, sha1 of "blob {size}\0" + content (regular files), or null
     */
    record Expected(long size, String sha256, String gitBlobSha1) {
    }

    /** The partial file as it grows: its channel, bytes so far, and the running hash of exactly those bytes. */
    private static final class Partial {
        final FileChannel channel;
        final Expected expected;
        long have;
        MessageDigest digest;

        Partial(FileChannel channel, Expected expected) {
            this.channel = channel;
            this.expected = expected;
        }

        void restart() throws IOException {
            channel.truncate(0);
            have = 0;
            digest = freshDigest(expected);
        }
    }

    private final HubHttp http;
    private final DownloadProgress progress;
    private final int attempts;
    private final Duration stallLimit;

    /** @param stallLimit how long a transfer may go without a byte before it is dropped and resumed */
    BlobDownload(HubHttp http, DownloadProgress progress, int attempts, Duration stallLimit) {
        this.http = http;
        this.progress = progress;
        this.attempts = attempts;
        this.stallLimit = stallLimit;
    }

    /**
     * Downloads {@code location} into {@code blob}, resuming {@code incomplete} if it exists.
     *
     * @return the bytes transferred over the network (less than the size when resumed)
     */
    long fetch(ModelRef ref, String file, URI location, Path incomplete, Path blob, Expected expected)
            throws IOException {
        long transferred = 0;
        HubException lastFailure = null;
        try (FileChannel channel = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Partial p = new Partial(channel, expected);
            resumeFromDisk(p);
            for (int attempt = 1; p.have < expected.size() && attempt <= attempts; attempt++) {
                pauseBefore(attempt);
                long before = p.have;
                try {
                    transfer(ref, file, location, p);
                } catch (HubException e) {
                    if (e.reason() != HubException.Reason.INTERRUPTED) {
                        throw e;
                    }
                    lastFailure = e;
                }
                transferred += Math.max(0, p.have - before);
            }
            if (p.have < expected.size()) {
                throw new HubException(HubException.Reason.INTERRUPTED, ref + ": " + file + ": download stopped at "
                        + p.have + " of " + expected.size() + " bytes after " + attempts + " attempt(s)"
                        + (lastFailure == null ? "" : " (" + lastFailure.getMessage() + ")")
                        + "; run scalpel pull again: it resumes from " + incomplete, lastFailure);
            }
            verify(ref, file, p, incomplete);
            channel.force(false);   // the bytes are on disk before the name says the blob is complete
        }
        Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        progress.finished(file, expected.size());
        return transferred;
    }

    /** Hashes what an earlier transfer left, so the final check covers the whole file. */
    private static void resumeFromDisk(Partial p) throws IOException {
        long onDisk = p.channel.size();
        if (onDisk > p.expected.size()) {
            p.restart();   // longer than the file can be: not a prefix of it
            return;
        }
        p.digest = freshDigest(p.expected);
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        long position = 0;
        while (position < onDisk) {
            buffer.clear();
            int n = p.channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            if (p.digest != null) {
                p.digest.update(buffer.array(), 0, n);
            }
            position += n;
        }
        p.have = position;
    }

    /** One GET from {@code p.have} on; returns when the body ends, throws INTERRUPTED when it breaks off. */
    private void transfer(ModelRef ref, String file, URI location, Partial p) throws IOException {
        long size = p.expected.size();
        HttpResponse<InputStream> response = http.download(location, p.have, ref, file);
        try (InputStream in = response.body(); StallWatch watch = StallWatch.start(in, stallLimit)) {
            String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").strip();
            if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
                // The bytes on the wire would not be the file's bytes, and ranges of them could not be resumed.
                throw new HubException(HubException.Reason.PROTOCOL, ref + ": " + file + ": " + response.uri()
                        + " sent the file with Content-Encoding: " + encoding + " although asked for identity; "
                        + "a proxy between here and the hub may be recompressing downloads");
            }
            if (response.statusCode() == 206) {
                long start = rangeStart(response, ref, file);
                if (start != p.have) {
                    throw new HubException(HubException.Reason.PROTOCOL, ref + ": " + file + ": asked for bytes from "
                            + p.have + " on, got bytes from " + start + " on (" + response.uri() + ")");
                }
            } else if (p.have > 0) {
                p.restart();   // 200 to a Range request: the server ignored it and sends the whole file
            }
            long resumedFrom = p.have;
            byte[] buffer = new byte[BUFFER_BYTES];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw watch.stalled() ? stalled(location, p, size)
                            : new HubException(HubException.Reason.INTERRUPTED, "the transfer from " + origin(location)
                                    + " broke off at byte " + p.have + " of " + size + ": " + e.getMessage(), e);
                }
                if (n < 0) {
                    if (watch.stalled()) {
                        throw stalled(location, p, size);
                    }
                    return;
                }
                watch.progressed();
                if (p.have + n > size) {
                    p.restart();
                    throw new HubException(HubException.Reason.CORRUPT, ref + ": " + file + ": the server sent more"
                            + " than the announced " + size + " bytes; the download was discarded, pull again");
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    p.channel.write(chunk, p.have + (n - chunk.remaining()));
                }
                if (p.digest != null) {
                    p.digest.update(buffer, 0, n);
                }
                p.have += n;
                progress.advanced(file, p.have, size, resumedFrom);
            }
        }
    }

    private HubException stalled(URI location, Partial p, long size) {
        return new HubException(HubException.Reason.INTERRUPTED, "the transfer from " + origin(location) + " stalled: no"
                + " data for " + (stallLimit.toMillis() < 1000 ? stallLimit.toMillis() + " ms" : stallLimit.toSeconds() + " s")
                + " at byte " + p.have + " of " + size);
    }

    private static void verify(ModelRef ref, String file, Partial p, Path incomplete) throws IOException {
        if (p.digest == null) {
            return;   // neither a sha256 nor a git blob id to check against: the size check is all there is
        }
        String actual = HexFormat.of().formatHex(p.digest.digest());
        boolean sha256 = p.expected.sha256() != null;
        String expected = sha256 ? p.expected.sha256() : p.expected.gitBlobSha1();
        if (!actual.equalsIgnoreCase(expected)) {
            p.channel.close();
            Files.deleteIfExists(incomplete);
            throw new HubException(HubException.Reason.CORRUPT, ref + ": " + file + ": "
                    + (sha256 ? "sha256" : "git blob sha1") + " mismatch: expected " + expected + ", got " + actual
                    + "; the corrupt download was deleted, pull again");
        }
    }

    private static MessageDigest freshDigest(Expected expected) {
        try {
            if (expected.sha256() != null) {
                return Sha256.digest();
            }
            if (expected.gitBlobSha1() != null) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(("blob " + expected.size() + "\0").getBytes(StandardCharsets.US_ASCII));
                return sha1;
            }
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256 and SHA-1", e);
        }
    }

    private static long rangeStart(HttpResponse<?> response, ModelRef ref, String file) {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.strip());
        if (!m.matches()) {
            throw new HubException(HubException.Reason.PROTOCOL, ref + ": " + file + ": a partial answer (206) from "
                    + response.uri() + " without a usable Content-Range header ('" + header + "')");
        }
        return Long.parseLong(m.group(1));
    }

    /** No wait before the first retry (a dropped connection usually reconnects at once), then 1, 2, 4 s. */
    private static void pauseBefore(int attempt) {
        if (attempt <= 2) {
            return;
        }
        try {
            Thread.sleep(Math.min(1000L << (attempt - 3), 8000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.INTERRUPTED, "interrupted while waiting to retry a download",
                    e);
        }
    }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getAuthority();
    }
}
