package dev.scalpel.core.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.hub.LoopbackHub.Repo;
import dev.scalpel.core.hub.LoopbackHub.Request;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a hub on loopback: the cache layout huggingface_hub writes, resuming, checksums, errors, selection. */
class HubPullTest {
    static final String COMMIT = "4f3c8b2e9d1a7c6b5e4d3c2b1a0f9e8d7c6b5a49";
    static final String REPO = "loopback-org/llama-tiny";
    /** What llama-tiny needs to load: config, generation config, the index, six shards, the tokenizer. */
    static final List<String> MODEL_FILES = List.of("config.json", "generation_config.json",
            "model.safetensors.index.json", "model-00001-of-00006.safetensors", "model-00002-of-00006.safetensors",
            "model-00003-of-00006.safetensors", "model-00004-of-00006.safetensors",
            "model-00005-of-00006.safetensors", "model-00006-of-00006.safetensors", "tokenizer.json",
            "tokenizer_config.json");
    static final String SHARD1 = "model-00001-of-00006.safetensors";

    @TempDir
    Path home;
    LoopbackHub hub;
    Repo repo;

    @BeforeEach
    void startHub() throws IOException {
        hub = new LoopbackHub();
        repo = new Repo(REPO, COMMIT);
        for (String f : MODEL_FILES) {
            repo.file(f, Files.readAllBytes(Fixtures.model("llama-tiny").resolve(f)));
        }
        // Files a real repository also has, which a default pull leaves alone.
        repo.file("README.md", "# llama-tiny\nrandom weights\n".getBytes(StandardCharsets.UTF_8));
        repo.file("config.legacy.json", Files.readAllBytes(Fixtures.model("llama-tiny").resolve("config.legacy.json")));
        repo.file("pytorch_model.bin", "not really a pickle".getBytes(StandardCharsets.US_ASCII));
        hub.add(repo);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubSettings settings(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("HF_ENDPOINT", hub.endpoint());
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return HubSettings.fromEnvironment(env);
    }

    PullResult pull(HubSettings s, FileSelection selection) {
        try (HubClient client = new HubClient(s)) {
            return client.pull(ModelRef.parse(REPO), selection);
        }
    }

    Path repoFolder() {
        return home.resolve(".cache/huggingface/hub/models--loopback-org--llama-tiny");
    }

    long resolveAndCdnRequests() {
        return hub.requests().stream().filter(r -> !r.path().startsWith("/api/")).count();
    }

    @Test
    void pullWritesHuggingFaceHubLayoutAndTheSnapshotLoads() throws IOException {
        PullResult r = pull(settings(), FileSelection.defaults());

        Path folder = repoFolder();
        assertEquals(folder.resolve("snapshots").resolve(COMMIT), r.folder());
        assertEquals(COMMIT, r.commit());
        assertEquals(MODEL_FILES, r.files());
        assertEquals(MODEL_FILES, r.downloaded());
        long total = MODEL_FILES.stream().mapToLong(f -> repo.files.get(f).length).sum();
        assertEquals(total, r.bytesDownloaded());
        // refs/main holds exactly the 40 hex digits, no newline, as huggingface_hub writes it.
        assertArrayEquals(COMMIT.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(folder.resolve("refs/main")));
        for (String f : MODEL_FILES) {
            Path pointer = r.folder().resolve(f);
            String etag = hub.etagOf(repo, f);
            assertTrue(Files.isSymbolicLink(pointer), f + " is a symlink");
            assertEquals("../../blobs/" + etag, Files.readSymbolicLink(pointer).toString(), f);
            assertArrayEquals(repo.files.get(f), Files.readAllBytes(folder.resolve("blobs").resolve(etag)), f);
        }
        // LFS blobs are named by the content's sha256, regular files by their git blob id (sha1 of "blob N\0"...).
        assertEquals(64, hub.etagOf(repo, SHARD1).length());
        assertEquals(40, hub.etagOf(repo, "config.json").length());
        try (Stream<Path> blobs = Files.list(folder.resolve("blobs"))) {
            assertEquals(MODEL_FILES.size(), blobs.filter(p -> !p.toString().endsWith(".incomplete")).count());
        }
        assertFalse(Files.exists(r.folder().resolve("README.md")));
        assertFalse(Files.exists(r.folder().resolve("pytorch_model.bin")));

        try (LoadedModel pulled = LoadedModel.open(r.folder());
             LoadedModel original = LoadedModel.open(Fixtures.model("llama-tiny"))) {
            assertNotNull(pulled.tokenizer());
            assertEquals(original.model().parameters().names(), pulled.model().parameters().names());
            for (String name : original.model().parameters().names()) {
                assertArrayEquals(original.model().parameters().get(name).toFloatArray(),
                        pulled.model().parameters().get(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void secondPullFindsEverythingInTheCacheAndDownloadsNothing() {
        pull(settings(), FileSelection.defaults());
        long before = resolveAndCdnRequests();
        PullResult again = pull(settings(), FileSelection.defaults());
        assertEquals(List.of(), again.downloaded());
        assertEquals(0, again.bytesDownloaded());
        assertEquals(before, resolveAndCdnRequests(), "no file was requested again");
    }

    @Test
    void transferCutOffMidFileResumesWithARangeRequest() throws IOException {
        String sha = hub.etagOf(repo, SHARD1);
        hub.cutFirstTransferAfter.put(sha, 50_000);

        PullResult r = pull(settings(), FileSelection.defaults());

        List<Request> shardGets = hub.requests("cdn").stream().filter(q -> q.path().contains(sha)).toList();
        assertEquals(2, shardGets.size(), shardGets.toString());
        assertEquals(null, shardGets.get(0).range());
        // The server drops the connection after 50,000 bytes; the client resumes from however many it received.
        String range = shardGets.get(1).range();
        assertTrue(range.matches("bytes=\\d+-"), range);
        long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedAt > 0 && resumedAt <= 50_000, range);
        assertEquals(206, shardGets.get(1).status());
        assertEquals(sha, LoopbackHub.sha256(Files.readAllBytes(r.folder().resolve(SHARD1))));
        // Every byte crossed the network once: the first 50,000 were not fetched again.
        long total = MODEL_FILES.stream().mapToLong(f -> repo.files.get(f).length).sum();
        assertEquals(total, r.bytesDownloaded());
    }

    @Test
    void stalledTransferIsDroppedAndResumed() throws IOException {
        String sha = hub.etagOf(repo, SHARD1);
        hub.stallFirstTransferAfter.put(sha, 30_000);
        PullResult r;
        try (HubClient client = new HubClient(settings(), DownloadProgress.NONE, 3, java.time.Duration.ofMillis(300))) {
            r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> client.pull(ModelRef.parse(REPO), FileSelection.defaults()));
        }
        List<Request> shardGets = hub.requests("cdn").stream().filter(q -> q.path().contains(sha)).toList();
        assertEquals(2, shardGets.size(), shardGets.toString());
        String range = shardGets.get(1).range();
        long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedAt > 0 && resumedAt <= 30_000, range);
        assertArrayEquals(repo.files.get(SHARD1), Files.readAllBytes(r.folder().resolve(SHARD1)));
    }

    @Test
    void stallOnTheLastAttemptSaysSo() {
        String sha = hub.etagOf(repo, SHARD1);
        hub.stallFirstTransferAfter.put(sha, 30_000);
        HubException e;
        try (HubClient oneAttempt = new HubClient(settings(), DownloadProgress.NONE, 1, java.time.Duration.ofMillis(300))) {
            e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> assertThrows(HubException.class,
                    () -> oneAttempt.pull(ModelRef.parse(REPO), FileSelection.defaults())));
        }
        assertEquals(HubException.Reason.INTERRUPTED, e.reason());
        assertTrue(e.getMessage().contains("stalled: no data for 300 ms"), e.getMessage());
    }

    @Test
    void brokenOffPullKeepsTheIncompleteFileAndTheNextPullResumesIt() throws IOException {
        String sha = hub.etagOf(repo, SHARD1);
        hub.cutFirstTransferAfter.put(sha, 40_000);
        HubException e;
        try (HubClient oneAttempt = new HubClient(settings(), DownloadProgress.NONE, 1)) {
            e = assertThrows(HubException.class, () -> oneAttempt.pull(ModelRef.parse(REPO), FileSelection.defaults()));
        }
        assertEquals(HubException.Reason.INTERRUPTED, e.reason());
        // The server stops after 40,000 bytes and drops the connection; how many of them reach the client before the
        // drop is up to the TCP stack, so the test reads the count from the partial file and checks it everywhere.
        Path incomplete = repoFolder().resolve("blobs").resolve(sha + ".incomplete");
        long received = Files.size(incomplete);
        assertTrue(received > 0 && received <= 40_000, "partial file of " + received + " bytes");
        assertTrue(e.getMessage().contains(SHARD1) && e.getMessage().contains(received + " of 131200"), e.getMessage());
        // Nothing partial is visible: no pointer for the shard, no blob under its final name, no ref yet.
        assertFalse(Files.exists(repoFolder().resolve("snapshots").resolve(COMMIT).resolve(SHARD1),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(repoFolder().resolve("blobs").resolve(sha)));
        assertFalse(Files.exists(repoFolder().resolve("refs/main")));

        PullResult r = pull(settings(), FileSelection.defaults());

        Request resumed = hub.requests("cdn").stream().filter(q -> q.path().contains(sha)).toList().getLast();
        assertEquals("bytes=" + received + "-", resumed.range());
        assertArrayEquals(repo.files.get(SHARD1), Files.readAllBytes(r.folder().resolve(SHARD1)));
        assertFalse(Files.exists(incomplete));
        assertEquals(COMMIT, Files.readString(repoFolder().resolve("refs/main")));
    }

    @Test
    void cdnIgnoringRangeRestartsTheFileFromItsFirstByte() throws IOException {
        String sha = hub.etagOf(repo, SHARD1);
        Path blobs = Files.createDirectories(repoFolder().resolve("blobs"));
        Files.write(blobs.resolve(sha + ".incomplete"), Arrays.copyOf(repo.files.get(SHARD1), 30_000));
        hub.cdnIgnoresRange = true;

        PullResult r = pull(settings(), FileSelection.defaults());

        Request get = hub.requests("cdn").stream().filter(q -> q.path().contains(sha)).findFirst().orElseThrow();
        assertEquals("bytes=30000-", get.range());
        assertEquals(200, get.status());
        assertArrayEquals(repo.files.get(SHARD1), Files.readAllBytes(r.folder().resolve(SHARD1)));
    }

    @Test
    void tokenGoesToTheHubButNeverToTheCdn() {
        repo.token = "hf_loopback_secret";
        repo.gated = true;

        pull(settings("HF_TOKEN", "hf_loopback_secret"), FileSelection.defaults());

        List<Request> toHub = hub.requests("hub");
        List<Request> toCdn = hub.requests("cdn");
        // One model info, one HEAD per file, and a GET for each of the five regular (non-LFS) files.
        assertEquals(1 + MODEL_FILES.size() + 5, toHub.size(), toHub.toString());
        assertTrue(toHub.stream().allMatch(q -> "Bearer hf_loopback_secret".equals(q.authorization())), toHub.toString());
        assertEquals(6, toCdn.size(), "the six shards come from the CDN");
        assertTrue(toCdn.stream().allMatch(q -> q.authorization() == null), toCdn.toString());
    }

    @Test
    void tokenIsReadFromTheTokenFileWhenHfTokenIsUnset() throws IOException {
        repo.token = "hf_from_file";
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_file\n");
        pull(settings(), FileSelection.defaults());
        assertTrue(hub.requests("hub").stream().allMatch(q -> "Bearer hf_from_file".equals(q.authorization())));
    }

    @Test
    void gatedModelWithoutTokenIsRefusedWithLicenseAdvice() {
        repo.token = "hf_needed";
        repo.gated = true;
        HubException e = assertThrows(HubException.class, () -> pull(settings(), FileSelection.defaults()));
        assertEquals(HubException.Reason.ACCESS_DENIED, e.reason());
        assertTrue(e.getMessage().contains("gated or private model: accept its license on huggingface.co and set "
                + "HF_TOKEN"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("no token was sent"), e.getMessage());
    }

    @Test
    void missingRepositoryRevisionAndFileAreEachNamed() throws IOException {
        HubException noRepo = assertThrows(HubException.class, () -> {
            try (HubClient c = new HubClient(settings())) {
                c.pull(ModelRef.parse("loopback-org/no-such-model"), FileSelection.defaults());
            }
        });
        assertEquals(HubException.Reason.NOT_FOUND, noRepo.reason());
        assertTrue(noRepo.getMessage().contains("repository loopback-org/no-such-model not found"),
                noRepo.getMessage());

        HubException noRevision = assertThrows(HubException.class, () -> {
            try (HubClient c = new HubClient(settings())) {
                c.pull(ModelRef.parse(REPO + "@no-such-branch"), FileSelection.defaults());
            }
        });
        assertTrue(noRevision.getMessage().contains("revision 'no-such-branch' not found in repository " + REPO),
                noRevision.getMessage());

        hub.missing.add("tokenizer.json");
        HubException noFile = assertThrows(HubException.class, () -> pull(settings(), FileSelection.defaults()));
        assertEquals(HubException.Reason.NOT_FOUND, noFile.reason());
        assertTrue(noFile.getMessage().contains("file tokenizer.json not found in repository " + REPO),
                noFile.getMessage());
        // As huggingface_hub does, the cache remembers that the file does not exist at that commit.
        Path marker = repoFolder().resolve(".no_exist").resolve(COMMIT).resolve("tokenizer.json");
        assertTrue(Files.isRegularFile(marker));
        assertEquals(0, Files.size(marker));
    }

    @Test
    void unreachableHubSaysThereIsNoNetwork() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", home.toString(), "HF_ENDPOINT", endpoint));
        HubException e = assertThrows(HubException.class, () -> pull(s, FileSelection.defaults()));
        assertEquals(HubException.Reason.NO_NETWORK, e.reason());
        assertTrue(e.getMessage().startsWith("no network: cannot reach " + endpoint
                + "; models already in the cache still work"), e.getMessage());
    }

    @Test
    void sha256MismatchDeletesTheDownloadAndNamesTheFile() throws IOException {
        String shard2 = "model-00002-of-00006.safetensors";
        String sha = hub.etagOf(repo, shard2);
        byte[] corrupt = repo.files.get(shard2).clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        hub.servedInstead.put(sha, corrupt);

        HubException e = assertThrows(HubException.class, () -> pull(settings(), FileSelection.defaults()));

        assertEquals(HubException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(shard2), e.getMessage());
        assertTrue(e.getMessage().contains("sha256 mismatch: expected " + sha + ", got " + LoopbackHub.sha256(corrupt)),
                e.getMessage());
        Path blobs = repoFolder().resolve("blobs");
        assertFalse(Files.exists(blobs.resolve(sha)));
        assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
        assertFalse(Files.exists(repoFolder().resolve("snapshots").resolve(COMMIT).resolve(shard2),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void alteredRegularFileFailsItsGitBlobIdCheck() {
        byte[] altered = repo.files.get("config.json").clone();
        altered[10] ^= 0x20;
        hub.servedInstead.put("config.json", altered);
        HubException e = assertThrows(HubException.class, () -> pull(settings(), FileSelection.defaults()));
        assertEquals(HubException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("config.json: git blob sha1 mismatch: expected "
                + hub.etagOf(repo, "config.json") + ", got " + LoopbackHub.gitBlobId(altered)), e.getMessage());
    }

    @Test
    void includeAndExcludePatternsSelectTheFiles() {
        PullResult jsonOnly = pull(settings(), new FileSelection(List.of("*.json"), List.of("tokenizer*")));
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors.index.json",
                "config.legacy.json"), jsonOnly.files());

        // '*' takes every file except those Scalpel never reads unless they are named.
        PullResult everything = pull(settings(), new FileSelection(List.of("*"), List.of()));
        assertFalse(everything.files().contains("pytorch_model.bin"));
        assertTrue(everything.files().contains("README.md"));
        assertEquals(repo.files.size() - 1, everything.files().size());

        PullResult pickle = pull(settings(), new FileSelection(List.of("*.bin"), List.of()));
        assertEquals(List.of("pytorch_model.bin"), pickle.files());
    }

    @Test
    void patternMatchingNothingListsWhatTheRepositoryHas() {
        HubException e = assertThrows(HubException.class,
                () -> pull(settings(), new FileSelection(List.of("*.gguf"), List.of())));
        assertEquals(HubException.Reason.BAD_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("no file matches include [*.gguf]") && e.getMessage().contains("README.md"),
                e.getMessage());
    }

    @Test
    void offlineSettingRefusesToDownloadAndTouchesNoNetwork() {
        HubException e = assertThrows(HubException.class,
                () -> pull(settings("HF_HUB_OFFLINE", "1"), FileSelection.defaults()));
        assertEquals(HubException.Reason.OFFLINE, e.reason());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE is set"), e.getMessage());
        assertEquals(List.of(), hub.requests());

        // Once the model is cached, an offline pull answers from the cache alone.
        PullResult online = pull(settings(), FileSelection.defaults());
        int requests = hub.requests().size();
        PullResult offline = pull(settings("HF_HUB_OFFLINE", "true"), FileSelection.defaults());
        assertEquals(requests, hub.requests().size());
        assertEquals(online.folder(), offline.folder());
        assertEquals(COMMIT, offline.commit());
        assertEquals(MODEL_FILES.stream().sorted().toList(), offline.files());
    }

    @Test
    void withSymlinksDisabledSnapshotFilesAreWholeCopies() throws IOException {
        PullResult r = pull(settings("HF_HUB_DISABLE_SYMLINKS", "1"), FileSelection.defaults());
        for (String f : MODEL_FILES) {
            Path pointer = r.folder().resolve(f);
            assertFalse(Files.isSymbolicLink(pointer), f);
            assertArrayEquals(repo.files.get(f), Files.readAllBytes(pointer), f);
        }
        try (LoadedModel m = LoadedModel.open(r.folder())) {
            assertEquals(2, m.model().config().numLayers());
        }
    }

    @Test
    void branchNameIsRecordedAsARefToTheCommit() throws IOException {
        try (HubClient c = new HubClient(settings())) {
            PullResult r = c.pull(REPO, COMMIT.substring(0, 10), FileSelection.defaults());
            assertEquals(COMMIT, r.commit());
        }
        // A short hash is a revision too: huggingface_hub records it under refs/ like a branch.
        assertEquals(COMMIT, Files.readString(repoFolder().resolve("refs").resolve(COMMIT.substring(0, 10))));
        // A full commit hash needs no ref.
        try (HubClient c = new HubClient(settings())) {
            c.pull(REPO, COMMIT, FileSelection.defaults());
        }
        assertFalse(Files.exists(repoFolder().resolve("refs").resolve(COMMIT)));
    }
}
