package dev.scalpel.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache laid out by hand exactly as Python's huggingface_hub writes it is found and loaded with no server at all. */
class HubCacheTest {
    static final String COMMIT = "a9b8c7d6e5f40312a9b8c7d6e5f40312a9b8c7d6";

    @TempDir
    Path root;

    /**
     * Writes llama-tiny the way hf_hub_download leaves it: blobs named by etag (sha256 for the *.safetensors LFS
     * files, git blob id for the rest), relative symlinks in snapshots/{commit}, and refs/{revision} holding the bare
     * commit hash.
     */
    Path writePythonLayout(String repoFolderName, String revision) throws IOException {
        Path repo = root.resolve(repoFolderName);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.createDirectories(repo.resolve("blobs"));
        for (String f : HubPullTest.MODEL_FILES) {
            byte[] content = Files.readAllBytes(Fixtures.model("llama-tiny").resolve(f));
            String etag = f.endsWith(".safetensors") ? LoopbackHub.sha256(content) : LoopbackHub.gitBlobId(content);
            Files.write(repo.resolve("blobs").resolve(etag), content);
            Files.createSymbolicLink(snapshot.resolve(f), Path.of("../../blobs/" + etag));
        }
        Path ref = repo.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Files.writeString(ref, COMMIT, StandardCharsets.US_ASCII);
        return snapshot;
    }

    @Test
    void pythonWrittenCacheIsFoundOfflineAndLoads() throws IOException {
        Path snapshot = writePythonLayout("models--some-org--llama-tiny", "main");
        HubCache cache = new HubCache(root, true);

        Path found = cache.resolve(ModelRef.parse("some-org/llama-tiny"));

        assertEquals(snapshot, found);
        try (LoadedModel m = LoadedModel.open(found)) {
            assertEquals(2, m.model().config().numLayers());
            assertTrue(m.tokenizer() != null);
        }
        assertEquals(HubPullTest.MODEL_FILES.stream().sorted().toList(), HubCache.filesIn(found));
    }

    @Test
    void fullCommitHashResolvesThroughItsSnapshotFolderWithoutARef() throws IOException {
        Path snapshot = writePythonLayout("models--some-org--llama-tiny", "main");
        HubCache cache = new HubCache(root, true);
        assertEquals(snapshot, cache.resolve(ModelRef.parse("some-org/llama-tiny@" + COMMIT)));
        // A commit with no snapshot folder is not cached, whatever refs say.
        String other = "0".repeat(40);
        assertEquals(Optional.empty(), cache.find(ModelRef.parse("some-org/llama-tiny@" + other)));
    }

    @Test
    void revisionWithSlashesIsANestedRef() throws IOException {
        Path snapshot = writePythonLayout("models--some-org--llama-tiny", "refs/pr/1");
        HubCache cache = new HubCache(root, true);
        assertEquals(snapshot, cache.resolve(ModelRef.parse("some-org/llama-tiny@refs/pr/1")));
        assertEquals(Optional.empty(), cache.find(ModelRef.parse("some-org/llama-tiny")));
    }

    @Test
    void refWithATrailingNewlineStillResolves() throws IOException {
        Path snapshot = writePythonLayout("models--some-org--llama-tiny", "v1.0");
        Files.writeString(root.resolve("models--some-org--llama-tiny/refs/v1.0"), COMMIT + "\n");
        assertEquals(snapshot, new HubCache(root, true).resolve(ModelRef.parse("some-org/llama-tiny@v1.0")));
    }

    @Test
    void modelNotInTheCacheSaysHowToPullIt() {
        HubCache cache = new HubCache(root, true);
        HubException e = assertThrows(HubException.class, () -> cache.resolve(ModelRef.parse("some-org/absent")));
        assertEquals(HubException.Reason.NOT_IN_CACHE, e.reason());
        assertTrue(e.getMessage().contains("not in the Hugging Face cache " + root), e.getMessage());
        assertTrue(e.getMessage().contains("scalpel pull some-org/absent "), e.getMessage());

        HubException atRevision = assertThrows(HubException.class,
                () -> cache.resolve(ModelRef.parse("some-org/absent@v2")));
        assertTrue(atRevision.getMessage().contains("scalpel pull some-org/absent@v2"), atRevision.getMessage());
    }

    @Test
    void refNamingAMissingSnapshotIsNotACachedModel() throws IOException {
        Path repo = root.resolve("models--some-org--gone");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        HubException e = assertThrows(HubException.class,
                () -> new HubCache(root, true).resolve(ModelRef.parse("some-org/gone")));
        assertEquals(HubException.Reason.NOT_IN_CACHE, e.reason());
    }

    @Test
    void refHoldingGarbageIsReportedWithItsFile() throws IOException {
        Path repo = root.resolve("models--some-org--bad");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "../../../etc");
        HubException e = assertThrows(HubException.class,
                () -> new HubCache(root, true).resolve(ModelRef.parse("some-org/bad")));
        assertTrue(e.getMessage().startsWith(repo.resolve("refs/main") + ": does not hold a commit hash"),
                e.getMessage());
    }

    @Test
    void repoFolderIsNamedAsHuggingFaceHubNamesIt() {
        assertEquals(root.resolve("models--HuggingFaceTB--SmolLM2-135M"),
                new HubCache(root, true).repoFolder(ModelRef.parse("HuggingFaceTB/SmolLM2-135M")));
    }

    @Test
    void badRepositoryIdsAndRevisionsAreRefused() {
        for (String bad : List.of("no-org", "a/b/c", "org--x/name", "org/na..me", "org/name.git", "-org/name",
                "org/name@", "org/name@../x", "org/name@refs//x", "org/na me")) {
            HubException e = assertThrows(HubException.class, () -> ModelRef.parse(bad), bad);
            assertEquals(HubException.Reason.BAD_ARGUMENT, e.reason(), bad);
        }
        assertTrue(ModelRef.looksLikeOne("org/name@v1"));
        assertFalse(ModelRef.looksLikeOne("./models/llama"));
        assertFalse(ModelRef.looksLikeOne("a/b/c"));
        assertEquals(new ModelRef("org/name", "main"), ModelRef.parse("org/name"));
        assertEquals(new ModelRef("org/name", "refs/pr/7"), ModelRef.parse("org/name@refs/pr/7"));
    }
}
