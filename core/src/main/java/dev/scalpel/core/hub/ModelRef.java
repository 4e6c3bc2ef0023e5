package dev.scalpel.core.hub;

import java.util.regex.Pattern;

/**
 * A model on the hub: {@code org/name} at a revision (branch, tag or commit), written {@code org/name@revision}.
 *
 * @param repoId {@code org/name}
 * @param revision a branch, tag or commit hash; {@code main} when none is given
 */
public record ModelRef(String repoId, String revision) {
    public static final String DEFAULT_REVISION = "main";

    /**
     * huggingface_hub's rule for repo ids (validate_repo_id): ASCII letters, digits, '-', '_' and '.', neither
     * starting nor ending with '-' or '.', at most 96 characters a part, and never "--" or ".." (the cache uses "--"
     * to join the parts, so "a--b/c" and "a/b--c" would otherwise share a folder). Unlike the hub, the organization
     * is required: a bare name could as well be a mistyped local folder.
     */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");

    public ModelRef {
        checkRepoId(repoId);
        checkRevision(revision, repoId);
    }

    /** Parses {@code org/name} or {@code org/name@revision}; a clear error for anything else. */
    public static ModelRef parse(String text) {
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : text.substring(at + 1);
        return new ModelRef(repo, revision);
    }

    /** Whether {@code text} has the shape of a hub reference, {@code org/name[@revision]}, valid or not in detail. */
    public static boolean looksLikeOne(String text) {
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        String[] parts = repo.split("/", -1);
        return parts.length == 2 && PART.matcher(parts[0]).matches() && PART.matcher(parts[1]).matches();
    }

    /** The cache folder's name, as huggingface_hub spells it: {@code models--org--name}. */
    public String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    /** Whether the revision is a full commit hash (then no ref is written for it, as huggingface_hub does). */
    public boolean isCommit() {
        return HubCache.isCommitHash(revision);
    }

    @Override
    public String toString() {
        return repoId + "@" + revision;
    }

    private static void checkRepoId(String repoId) {
        String[] parts = repoId == null ? new String[0] : repoId.split("/", -1);
        if (parts.length != 2 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()
                || repoId.contains("--") || repoId.contains("..") || repoId.endsWith(".git")) {
            throw new HubException(HubException.Reason.BAD_ARGUMENT, "'" + repoId + "' is not a Hugging Face model"
                    + " id: write org/name (letters, digits, '-', '_', '.'; no '--' or '..'), e.g. "
                    + "HuggingFaceTB/SmolLM2-135M, optionally followed by @revision");
        }
    }

    /**
     * Revisions become file names under {@code refs/} (a branch such as {@code refs/pr/1} becomes nested folders, as
     * in huggingface_hub), so anything that could leave that folder is refused.
     */
    private static void checkRevision(String revision, String repoId) {
        boolean ok = revision != null && !revision.isEmpty() && revision.length() <= 255
                && !revision.startsWith("/") && !revision.endsWith("/") && !revision.contains("\\");
        if (ok) {
            for (String segment : revision.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    ok = false;
                }
            }
            ok = ok && revision.chars().allMatch(c -> c > 0x20 && c != 0x7f);
        }
        if (!ok) {
            throw new HubException(HubException.Reason.BAD_ARGUMENT, repoId + "@" + revision
                    + ": not a usable revision; give a branch, tag or commit hash, e.g. " + repoId + "@main");
        }
    }
}
