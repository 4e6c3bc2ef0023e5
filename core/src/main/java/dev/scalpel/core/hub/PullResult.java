package dev.scalpel.core.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * What a pull left in the cache.
 *
 * @param repo {@code org/name}
 * @param revision the revision asked for
 * @param commit the commit it resolved to
 * @param folder the snapshot folder, which {@code LoadedModel.open} takes
 * @param files the selected files, as repository paths, now all in the snapshot
 * @param downloaded the files this pull transferred (the others were already in the cache)
 * @param bytesDownloaded bytes transferred over the network
 */
public record PullResult(String repo, String revision, String commit, Path folder, List<String> files,
        List<String> downloaded, long bytesDownloaded) {
    public PullResult {
        files = List.copyOf(files);
        downloaded = List.copyOf(downloaded);
    }
}
