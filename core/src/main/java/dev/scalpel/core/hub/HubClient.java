package dev.scalpel.core.hub;

import dev.scalpel.core.hub.RepoInfo.RepoFile;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Downloads model repositories from the Hugging Face hub into the shared cache ({@link HubCache}), the way
 * huggingface_hub's snapshot_download does: the revision is resolved to a commit once, and every file is then fetched
 * at that commit, so a push during the pull cannot mix two versions.
 *
 * <pre>{@code
 * try (HubClient hub = new HubClient(HubSettings.fromSystem())) {
 *     PullResult r = hub.pull(ModelRef.parse("HuggingFaceTB/SmolLM2-135M"), FileSelection.defaults());
 *     LoadedModel m = LoadedModel.open(r.folder());
 * }
 * }</pre>
 */
public final class HubClient implements AutoCloseable {
    /** Transfers per file before a broken-off download is reported (each resumes where the last stopped). */
    public static final int DEFAULT_ATTEMPTS = 5;
    /** How long a transfer may receive nothing before it is dropped and resumed. */
    public static final java.time.Duration DEFAULT_STALL_LIMIT = java.time.Duration.ofSeconds(60);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final HubSettings settings;
    private final HubCache cache;
    private final HubHttp http;
    private final BlobDownload download;

    /** A client that reports no progress. */
    public HubClient(HubSettings settings) {
        this(settings, DownloadProgress.NONE, DEFAULT_ATTEMPTS);
    }

    /**
     * @param attempts transfers per file before giving up (at least 1); 1 means a broken-off transfer fails the pull
     *     at once, leaving its {@code .incomplete} file for the next pull to resume
     */
    public HubClient(HubSettings settings, DownloadProgress progress, int attempts) {
        this(settings, progress, attempts, DEFAULT_STALL_LIMIT);
    }

    /** @param stallLimit a transfer that receives no byte for this long is dropped and resumed (an attempt spent) */
    public HubClient(HubSettings settings, DownloadProgress progress, int attempts, java.time.Duration stallLimit) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.settings = settings;
        this.cache = HubCache.of(settings);
        this.http = new HubHttp(settings);
        this.download = new BlobDownload(http, progress, attempts, stallLimit);
    }

    public HubCache cache() {
        return cache;
    }

    /** {@link #pull(ModelRef, FileSelection)} with the id and revision given apart (null revision: main). */
    public PullResult pull(String repoId, String revision, FileSelection selection) {
        return pull(new ModelRef(repoId, revision == null ? ModelRef.DEFAULT_REVISION : revision), selection);
    }

    /**
     * Brings the selected files of {@code ref} into the cache and returns its snapshot folder. Files already there
     * are not requested again; a file whose earlier download broke off is resumed. With HF_HUB_OFFLINE set nothing
     * touches the network: a model already in the cache is returned as it is, any other is an error.
     */
    public PullResult pull(ModelRef ref, FileSelection selection) {
        if (settings.offline()) {
            return cached(ref, selection);
        }
        URI infoUrl = HubUrls.modelInfo(settings.endpoint(), ref);
        RepoInfo info = RepoInfo.parse(http.getText(infoUrl, ref), infoUrl.toString());
        List<RepoFile> selected = info.files().stream().filter(f -> selection.selects(f.path())).toList();
        if (selected.isEmpty()) {
            throw new HubException(HubException.Reason.BAD_ARGUMENT, ref + ": no file matches include "
                    + selection.include() + (selection.exclude().isEmpty() ? "" : " minus exclude "
                    + selection.exclude()) + "; the repository has: " + describe(info.files()));
        }
        selected.forEach(f -> RepoPaths.check(f.path()));   // refuse a hostile listing before writing anything
        String commit = info.commit();
        List<String> downloaded = new ArrayList<>();
        long bytes = 0;
        try {
            cache.tagForBackupTools();
            for (RepoFile f : selected) {
                bytes += pullFile(ref, commit, f, downloaded);
            }
            // Written last: until every file is in place, refs/ keeps naming the last complete snapshot.
            cache.writeRef(ref, commit);
        } catch (IOException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, ref + ": cannot write the cache " + cache.root()
                    + ": " + e, e);
        }
        return new PullResult(ref.repoId(), ref.revision(), commit, cache.snapshot(ref, commit),
                selected.stream().map(RepoFile::path).toList(), downloaded, bytes);
    }

    @Override
    public void close() {
        http.close();
    }

    private PullResult cached(ModelRef ref, FileSelection selection) {
        Path folder = cache.find(ref).orElseThrow(() -> new HubException(HubException.Reason.OFFLINE, ref
                + ": HF_HUB_OFFLINE is set, so scalpel pull does not touch the network, and this model is not in the"
                + " cache " + cache.root() + "; unset HF_HUB_OFFLINE to download it"));
        List<String> files = HubCache.filesIn(folder).stream().filter(selection::selects).toList();
        return new PullResult(ref.repoId(), ref.revision(), folder.getFileName().toString(), folder, files, List.of(),
                0);
    }

    /** One file into the snapshot; returns the bytes transferred. */
    private long pullFile(ModelRef ref, String commit, RepoFile f, List<String> downloaded) throws IOException {
        Path pointer = cache.pointer(ref, commit, f.path());
        if (Files.isRegularFile(pointer) && (f.size() < 0 || Files.size(pointer) == f.size())) {
            return 0;   // already in this snapshot (pulled before, or by Python): no request at all
        }
        HubHttp.FileHead head;
        try {
            head = http.head(HubUrls.resolve(settings.endpoint(), ref, commit, f.path()), ref, f.path());
        } catch (HubException e) {
            if (e.reason() == HubException.Reason.NOT_FOUND) {
                cache.markMissing(ref, commit, f.path());   // as huggingface_hub remembers it
            }
            throw e;
        }
        BlobDownload.Expected expected = expectation(ref, commit, f, head);
        Path blob = cache.blob(ref, head.etag());
        Files.createDirectories(blob.getParent());
        Path lockFile = cache.lockFile(ref, head.etag());
        Files.createDirectories(lockFile.getParent());
        long transferred = 0;
        // Two pulls of the same model (two terminals) must not append to the same .incomplete file. This is an
        // fcntl lock; Python's filelock uses flock, and Linux keeps the two apart, so it does not guard against a
        // concurrent Python download of the same blob.
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lock(channel, ref, f.path());
            try {
                boolean present = Files.isRegularFile(blob) && Files.size(blob) == head.size();
                if (!present) {
                    Files.deleteIfExists(blob);   // a blob of another size is not this file
                    transferred = download.fetch(ref, f.path(), head.location(), cache.incomplete(ref, head.etag()),
                            blob, expected);
                    downloaded.add(f.path());
                }
                cache.link(blob, pointer);
            } finally {
                lock.release();
            }
        }
        return transferred;
    }

    /** What the bytes must be, from the listing and the file's headers, which must agree. */
    private static BlobDownload.Expected expectation(ModelRef ref, String commit, RepoFile f, HubHttp.FileHead head) {
        String where = ref + ": " + f.path() + ": ";
        if (!head.commit().equals(commit)) {
            throw new HubException(HubException.Reason.PROTOCOL, where + "asked for commit " + commit
                    + ", the hub answered for commit " + head.commit());
        }
        if (!HubCache.isSafeName(head.etag())) {
            throw new HubException(HubException.Reason.PROTOCOL, where + "the hub's ETag '" + head.etag()
                    + "' cannot name a blob file; refused");
        }
        if (f.size() >= 0 && f.size() != head.size()) {
            throw new HubException(HubException.Reason.PROTOCOL, where + "the listing says " + f.size()
                    + " bytes, the file's headers say " + head.size());
        }
        boolean etagIsSha256 = SHA256.matcher(head.etag()).matches();
        if (f.isLfs() && etagIsSha256 && !f.lfsSha256().equalsIgnoreCase(head.etag())) {
            throw new HubException(HubException.Reason.PROTOCOL, where + "the listing's sha256 " + f.lfsSha256()
                    + " differs from the file's ETag " + head.etag());
        }
        // LFS files: the etag is the content's sha256. Regular files: the etag is the git blob id, which the listing
        // confirms as blobId; checking it catches a truncated or altered config as surely as sha256 catches a shard.
        String sha256 = f.isLfs() ? f.lfsSha256() : etagIsSha256 ? head.etag() : null;
        String gitBlob = sha256 == null && head.etag().equals(f.blobId()) && HubCache.isCommitHash(head.etag())
                ? head.etag() : null;
        return new BlobDownload.Expected(head.size(), sha256 == null ? null : sha256.toLowerCase(Locale.ROOT),
                gitBlob);
    }

    private static FileLock lock(FileChannel channel, ModelRef ref, String file) throws IOException {
        try {
            return channel.lock();
        } catch (OverlappingFileLockException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, ref + ": " + file + ": another pull in this process"
                    + " is downloading the same file", e);
        }
    }

    private static String describe(List<RepoFile> files) {
        List<String> names = files.stream().map(RepoFile::path).limit(20).toList();
        return String.join(", ", names) + (files.size() > 20 ? ", ... (" + files.size() + " files)" : "");
    }
}
