package dev.scalpel.core.hub;

import dev.scalpel.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hub cache on disk, laid out exactly as Python's huggingface_hub lays it out, so that either tool finds what the
 * other downloaded:
 *
 * <pre>
 * {root}/models--{org}--{name}/
 *     blobs/{etag}                 file contents, named by the hub's ETag: the sha256 for LFS files, the git blob
 *                                  sha1 for the others; {etag}.incomplete while downloading
 *     snapshots/{commit}/{path}    one folder per commit, each file a relative symlink to ../../blobs/{etag}
 *                                  (one more ../ per folder level in {path})
 *     refs/{revision}              the commit a branch or tag pointed to when last pulled, 40 hex digits, no newline
 *     .no_exist/{commit}/{path}    empty files: the hub said this path does not exist at that commit
 * {root}/.locks/models--{org}--{name}/{etag}.lock
 * </pre>
 *
 * Reading it never touches the network.
 */
public final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    /** Names we accept for blobs and snapshot folders: one plain path segment, whatever the server sends. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final Path root;
    private final boolean symlinks;

    /** A cache at {@code root} that links snapshot files to blobs with symlinks (or copies them if not). */
    public HubCache(Path root, boolean symlinks) {
        this.root = root.toAbsolutePath().normalize();
        this.symlinks = symlinks;
    }

    /** The cache the settings name. */
    public static HubCache of(HubSettings settings) {
        return new HubCache(settings.cache(), settings.symlinks());
    }

    public Path root() {
        return root;
    }

    /** {@code {root}/models--org--name}. */
    public Path repoFolder(ModelRef ref) {
        return root.resolve(ref.cacheFolderName());
    }

    /**
     * The snapshot folder of a cached model: through {@code refs/{revision}}, or directly when the revision is a
     * commit hash with a snapshot folder.
     *
     * @throws HubException NOT_IN_CACHE saying how to pull the model
     */
    public Path resolve(ModelRef ref) {
        return find(ref).orElseThrow(() -> notInCache(ref));
    }

    /** The snapshot folder of a cached model, if there is one. */
    public Optional<Path> find(ModelRef ref) {
        return commitOf(ref).map(commit -> snapshot(ref, commit)).filter(Files::isDirectory);
    }

    /** The commit a revision names in this cache: itself for a commit hash, else what {@code refs/} holds. */
    public Optional<String> commitOf(ModelRef ref) {
        Path refFile = refFile(ref, ref.revision());
        if (Files.isRegularFile(refFile)) {
            String commit;
            try {
                // huggingface_hub writes the bare hash; a hand-edited file may end with a newline.
                commit = Files.readString(refFile, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new HubException(HubException.Reason.LOCAL_IO, refFile + ": cannot read: " + e.getMessage(), e);
            }
            if (!SAFE_NAME.matcher(commit).matches()) {
                throw new HubException(HubException.Reason.LOCAL_IO, refFile + ": does not hold a commit hash ('"
                        + abbreviate(commit) + "'); delete it and run scalpel pull " + ref);
            }
            return Optional.of(commit);
        }
        if (ref.isCommit() && Files.isDirectory(snapshot(ref, ref.revision()))) {
            return Optional.of(ref.revision());
        }
        return Optional.empty();
    }

    /** The files of a snapshot folder, as repository paths ('/'-separated), sorted. */
    public static List<String> filesIn(Path snapshot) {
        try (Stream<Path> walk = Files.walk(snapshot)) {
            List<String> files = new ArrayList<>();
            walk.filter(Files::isRegularFile).forEach(p -> {
                List<String> parts = new ArrayList<>();
                snapshot.relativize(p).forEach(part -> parts.add(part.toString()));
                files.add(String.join("/", parts));
            });
            files.sort(null);
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, snapshot + ": cannot list the snapshot: "
                    + e.getMessage(), e);
        }
    }

    static boolean isCommitHash(String text) {
        return COMMIT.matcher(text).matches();
    }

    /** Whether a server-given etag or commit can name a file or folder here. */
    static boolean isSafeName(String text) {
        return text != null && SAFE_NAME.matcher(text).matches();
    }

    Path snapshot(ModelRef ref, String commit) {
        return repoFolder(ref).resolve("snapshots").resolve(commit);
    }

    /** Where a repository file appears in a snapshot; the path was checked by {@link RepoPaths#check}. */
    Path pointer(ModelRef ref, String commit, String repoPath) {
        return snapshot(ref, commit).resolve(RepoPaths.check(repoPath));
    }

    Path blob(ModelRef ref, String etag) {
        return repoFolder(ref).resolve("blobs").resolve(etag);
    }

    Path incomplete(ModelRef ref, String etag) {
        return repoFolder(ref).resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lockFile(ModelRef ref, String etag) {
        return root.resolve(".locks").resolve(ref.cacheFolderName()).resolve(etag + ".lock");
    }

    private Path refFile(ModelRef ref, String revision) {
        return repoFolder(ref).resolve("refs").resolve(revision);
    }

    /**
     * Records that {@code revision} points at {@code commit}, as huggingface_hub does: nothing for a revision that is
     * the commit itself, else the bare hash in {@code refs/{revision}}, replaced atomically so a reader never sees
     * a half-written ref.
     */
    void writeRef(ModelRef ref, String commit) throws IOException {
        if (ref.revision().equals(commit)) {
            return;
        }
        Path refFile = refFile(ref, ref.revision());
        if (Files.isRegularFile(refFile) && Files.readString(refFile, StandardCharsets.US_ASCII).equals(commit)) {
            return;   // unchanged: do not write to a cache that may be shared read-only
        }
        Files.createDirectories(refFile.getParent());
        AtomicFiles.writeString(refFile, commit);
    }

    /**
     * Makes {@code pointer} show the blob: a relative symlink ({@code ../../blobs/{etag}}, so the cache can be moved
     * or mounted elsewhere), or, where symlinks are off or refused by the file system, a copy that appears in one
     * atomic rename, so no snapshot ever holds a half-copied file.
     */
    void link(Path blob, Path pointer) throws IOException {
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);   // a stale or dangling link; never follows it
        if (symlinks) {
            Path target = pointer.getParent().relativize(blob);
            try {
                Files.createSymbolicLink(pointer, target);
                return;
            } catch (FileAlreadyExistsException e) {
                if (Files.isSameFile(pointer, blob)) {
                    return;   // another process linked the same blob in between
                }
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // No symlinks on this file system (FAT, some network mounts): copy, as huggingface_hub falls back to.
            }
        }
        Path tmp = blob.resolveSibling(blob.getFileName() + ".copy.incomplete");
        Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Remembers that the hub has no such file at this commit ({@code .no_exist/{commit}/{path}}, empty). */
    void markMissing(ModelRef ref, String commit, String repoPath) throws IOException {
        Path marker = repoFolder(ref).resolve(".no_exist").resolve(commit).resolve(RepoPaths.check(repoPath));
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    /**
     * Tags the cache root for backup tools (the CACHEDIR.TAG convention, which huggingface_hub also follows): a
     * multi-gigabyte cache that can be downloaded again need not be backed up.
     */
    void tagForBackupTools() throws IOException {
        Path tag = root.resolve("CACHEDIR.TAG");
        if (!Files.exists(tag)) {
            AtomicFiles.writeString(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                    + "# This file is a cache directory tag: the Hugging Face hub cache, shared by Scalpel and "
                    + "huggingface_hub.\n"
                    + "# For information about cache directory tags see https://bford.info/cachedir/\n");
        }
    }

    private HubException notInCache(ModelRef ref) {
        String pull = ref.revision().equals(ModelRef.DEFAULT_REVISION) ? ref.repoId() : ref.toString();
        return new HubException(HubException.Reason.NOT_IN_CACHE, ref + ": not in the Hugging Face cache " + root
                + " (" + ref.cacheFolderName() + " has no " + (ref.isCommit() ? "snapshots/" + ref.revision()
                : "refs/" + ref.revision()) + "); download it with: scalpel pull " + pull
                + " (models that Python's huggingface_hub downloaded into this cache are found too; "
                + "set HF_HUB_CACHE or HF_HOME if yours is elsewhere)");
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
