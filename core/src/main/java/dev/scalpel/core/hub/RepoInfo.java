package dev.scalpel.core.hub;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code GET /api/models/{repo}/revision/{revision}?blobs=true} says about a repository: the commit the revision
 * points to, and every file with its size and, for LFS files, its sha256.
 *
 * @param commit the full commit hash ({@code sha})
 * @param files the repository's files ({@code siblings}), in the hub's order
 */
record RepoInfo(String commit, List<RepoFile> files) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One file of the repository.
     *
     * @param path the repository path ({@code rfilename})
     * @param size the file's size in bytes, or -1 if the hub did not say
     * @param blobId the git blob id (sha1 of "blob {size}\0" + content for regular files), or null
     * @param lfsSha256 the sha256 of the content for LFS files, null for regular files
     */
    record RepoFile(String path, long size, String blobId, String lfsSha256) {
        boolean isLfs() {
            return lfsSha256 != null;
        }
    }

    RepoInfo {
        files = List.copyOf(files);
    }

    /** Parses the hub's answer; errors name the URL it came from. */
    static RepoInfo parse(String body, String url) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw bad(url, "is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(url, "is not a JSON object");
        }
        JsonNode sha = root.get("sha");
        if (sha == null || !sha.isTextual() || !HubCache.isSafeName(sha.textValue())) {
            throw bad(url, "has no commit hash (\"sha\")");
        }
        JsonNode siblings = root.get("siblings");
        if (siblings == null || !siblings.isArray()) {
            throw bad(url, "has no file list (\"siblings\")");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode s : siblings) {
            JsonNode name = s.get("rfilename");
            if (name == null || !name.isTextual()) {
                throw bad(url, "lists a file without \"rfilename\": " + s);
            }
            JsonNode lfs = s.get("lfs");
            String lfsSha = lfs != null && lfs.isObject() && lfs.path("sha256").isTextual()
                    ? lfs.get("sha256").textValue() : null;
            long size = lfs != null && lfs.path("size").canConvertToLong() && lfs.path("size").isIntegralNumber()
                    ? lfs.get("size").longValue()
                    : s.path("size").isIntegralNumber() ? s.get("size").longValue() : -1;
            String blobId = s.path("blobId").isTextual() ? s.get("blobId").textValue() : null;
            files.add(new RepoFile(name.textValue(), size, blobId, lfsSha));
        }
        return new RepoInfo(sha.textValue(), files);
    }

    private static HubException bad(String url, String problem) {
        return new HubException(HubException.Reason.PROTOCOL, "the answer of " + url + " " + problem
                + "; is HF_ENDPOINT a Hugging Face hub (or a mirror of one)?");
    }
}
