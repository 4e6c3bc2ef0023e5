package dev.scalpel.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment is read as huggingface_hub reads it, from a map so no test depends on the real environment. */
class HubSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultsFollowHuggingFaceHub() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", home.toString()));
        assertEquals("https://huggingface.co", s.endpoint());
        assertEquals(home.resolve(".cache/huggingface"), s.home());
        assertEquals(home.resolve(".cache/huggingface/hub"), s.cache());
        assertNull(s.token());
        assertFalse(s.offline());
        assertTrue(s.symlinks());
    }

    @Test
    void hfHomeMovesCacheAndTokenFileWhileHfHubCacheMovesOnlyTheCache() throws IOException {
        Path hfHome = home.resolve("hf");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_file_token\n");
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_HOME", hfHome.toString()));
        assertEquals(hfHome.resolve("hub"), s.cache());
        assertEquals("hf_file_token", s.token());

        HubSettings moved = HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_HOME", hfHome.toString(),
                "HF_HUB_CACHE", "~/elsewhere"));
        assertEquals(home.resolve("elsewhere"), moved.cache());
        assertEquals(hfHome, moved.home());
    }

    @Test
    void xdgCacheHomeHoldsHfHomeWhenItIsUnset() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "XDG_CACHE_HOME",
                home.resolve("xdg").toString()));
        assertEquals(home.resolve("xdg/huggingface/hub"), s.cache());
    }

    @Test
    void hfTokenWinsOverTheTokenFile() throws IOException {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_file_token");
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_TOKEN", "hf_env_token"));
        assertEquals("hf_env_token", s.token());
        assertFalse(s.toString().contains("hf_env_token"), "the token never appears in printed settings");
    }

    @Test
    void offlineAcceptsHuggingFaceHubsTrueValuesOnly() {
        for (String yes : new String[] {"1", "true", "TRUE", "yes", "On"}) {
            assertTrue(HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_HUB_OFFLINE", yes)).offline(),
                    yes);
        }
        for (String no : new String[] {"0", "false", "no", ""}) {
            assertFalse(HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_HUB_OFFLINE", no)).offline(),
                    no);
        }
        assertTrue(HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "TRANSFORMERS_OFFLINE", "1"))
                .offline());
    }

    @Test
    void endpointLosesTrailingSlashesAndMustBeHttp() {
        assertEquals("https://hf-mirror.example/sub", HubSettings.fromEnvironment(Map.of("HOME", home.toString(),
                "HF_ENDPOINT", "https://hf-mirror.example/sub//")).endpoint());
        ScalpelException e = assertThrows(ScalpelException.class, () -> HubSettings.fromEnvironment(
                Map.of("HOME", home.toString(), "HF_ENDPOINT", "ftp://example.org")));
        assertTrue(e.getMessage().startsWith("HF_ENDPOINT=ftp://example.org: not an http(s) URL"), e.getMessage());
    }

    @Test
    void disableSymlinksVariableTurnsSnapshotLinksIntoCopies() {
        assertFalse(HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_HUB_DISABLE_SYMLINKS", "1"))
                .symlinks());
    }
}
