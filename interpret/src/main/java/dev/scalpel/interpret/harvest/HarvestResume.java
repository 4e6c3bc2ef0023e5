package dev.scalpel.interpret.harvest;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a harvest picks up in a folder that may hold an earlier, interrupted run of the same harvest (the run folder's
 * key, compared before, says it is the same). The shards it keeps are the longest
 * run of full shards from {@code shard-00000} that the manifest lists and that are on disk with the listed row count;
 * everything after them is deleted and recomputed. The harvest restarts at the text of the last kept row, skipping the
 * rows of that text the kept shards already hold.
 *
 * @param manifest the manifest to continue (its shards are the kept ones)
 * @param nextText the first text not entirely in the kept shards
 * @param rowsOfNextText rows of {@code nextText} already in the kept shards
 */
record HarvestResume(HarvestManifest manifest, long nextText, long rowsOfNextText) {
    private static final Pattern SHARD = Pattern.compile("shard-\\d{5}\\.safetensors");

    /** Nothing to do: the folder holds a finished harvest of the same source. */
    boolean finished() {
        return manifest.complete();
    }

    static HarvestResume prepare(Path folder, HarvestManifest fresh) {
        if (!Files.exists(folder.resolve(HarvestManifest.FILE))) {
            if (!shardFiles(folder).isEmpty()) {
                throw new ScalpelException(folder + ": holds shard files but no " + HarvestManifest.FILE
                        + "; delete them or harvest into another folder");
            }
            return new HarvestResume(fresh, 0, 0);
        }
        HarvestManifest old = HarvestManifest.read(folder);   // the run folder's key has already matched
        List<HarvestManifest.Shard> kept = new ArrayList<>();
        for (int i = 0; i < old.shards().size(); i++) {
            HarvestManifest.Shard s = old.shards().get(i);
            if (!s.file().equals(HarvestManifest.shardName(i)) || rowsOnDisk(folder.resolve(s.file())) != s.rows()) {
                break;
            }
            kept.add(s);
        }
        if (old.complete() && kept.size() == old.shards().size()) {
            return new HarvestResume(old, old.textCount(), 0);
        }
        while (!kept.isEmpty() && kept.getLast().rows() != fresh.config().shardRows()) {
            kept.removeLast();   // only a finished harvest ends with a short shard
        }
        deleteShardsFrom(folder, kept.size());
        if (kept.isEmpty()) {
            return new HarvestResume(fresh, 0, 0);
        }
        long nextText = -1;
        long rows = 0;
        for (int i = kept.size() - 1; i >= 0; i--) {
            long[] texts = textIndex(folder.resolve(kept.get(i).file()));
            int r = texts.length - 1;
            if (nextText < 0) {
                nextText = texts[r];
            }
            while (r >= 0 && texts[r] == nextText) {
                rows++;
                r--;
            }
            if (r >= 0) {
                break;
            }
        }
        return new HarvestResume(old.with(kept, nextText, false, old.dimension()), nextText, rows);
    }

    /** Whether the folder holds a manifest or shard files (a harvest, whole or not). */
    static boolean holdsHarvestFiles(Path folder) {
        return Files.exists(folder.resolve(HarvestManifest.FILE)) || !shardFiles(folder).isEmpty();
    }

    private static long rowsOnDisk(Path file) {
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.info("text_index").shape()[0];
        } catch (RuntimeException e) {
            return -1;   // unreadable: recomputed like a missing shard
        }
    }

    private static long[] textIndex(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.toLongs("text_index");
        }
    }

    private static List<Path> shardFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> SHARD.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static void deleteShardsFrom(Path folder, int first) {
        for (Path p : shardFiles(folder)) {
            int index = Integer.parseInt(p.getFileName().toString().substring(6, 11));
            if (index >= first) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new ScalpelException(p + ": cannot delete a stale shard: " + e.getMessage(), e);
                }
            }
        }
    }
}
