package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hub.HubException;
import dev.scalpel.core.hub.HubSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A MODEL argument is a folder, or a Hugging Face id found in the shared cache without any network. */
class HubModelArgumentTest {
    static final String COMMIT = "5d4c3b2a1f0e9d8c7b6a5d4c3b2a1f0e9d8c7b6a";

    @TempDir
    Path home;

    HubSettings settings() {
        // An endpoint nothing listens on: resolving must never try it.
        return HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_ENDPOINT", "http://127.0.0.1:9"));
    }

    /** A snapshot as huggingface_hub leaves it: snapshots/{commit} and refs/{revision} holding the commit. */
    Path cache(String folderName, String revision) throws IOException {
        Path repo = home.resolve(".cache/huggingface/hub").resolve(folderName);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.writeString(snapshot.resolve("config.json"), "{}");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve(revision), COMMIT);
        return snapshot;
    }

    @Test
    void existingFolderIsUsedAsItIs() {
        assertEquals(home, ModelArgument.resolve(home.toString(), settings()));
    }

    @Test
    void modelIdResolvesToItsCachedSnapshot() throws IOException {
        Path snapshot = cache("models--some-org--some-model", "main");
        assertEquals(snapshot, ModelArgument.resolve("some-org/some-model", settings()));
        Path tagged = cache("models--some-org--tagged", "v2.1");
        assertEquals(tagged, ModelArgument.resolve("some-org/tagged@v2.1", settings()));
        assertEquals(tagged, ModelArgument.resolve("some-org/tagged@" + COMMIT, settings()));
    }

    @Test
    void modelIdNotInTheCacheTellsToPullIt() {
        HubException e = assertThrows(HubException.class,
                () -> ModelArgument.resolve("some-org/not-pulled", settings()));
        assertEquals(HubException.Reason.NOT_IN_CACHE, e.reason());
        assertTrue(e.getMessage().contains("scalpel pull some-org/not-pulled"), e.getMessage());
    }

    @Test
    void anythingElseIsAClearError() throws IOException {
        ScalpelException missing = assertThrows(ScalpelException.class,
                () -> ModelArgument.resolve(home.resolve("no/such/dir").toString(), settings()));
        assertTrue(missing.getMessage().contains("no such model folder, and not a Hugging Face model id"),
                missing.getMessage());
        Path file = Files.writeString(home.resolve("model.safetensors"), "x");
        ScalpelException notFolder = assertThrows(ScalpelException.class,
                () -> ModelArgument.resolve(file.toString(), settings()));
        assertTrue(notFolder.getMessage().contains("not a folder"), notFolder.getMessage());
    }
}
