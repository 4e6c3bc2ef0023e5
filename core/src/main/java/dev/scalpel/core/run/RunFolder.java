package dev.scalpel.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * The folder of one resumable job. {@code run.json} holds the key (job, configuration, weights, data, seed) and the
 * provenance; {@code state/} the last checkpoint; {@code results.json} what the job measured; {@code report.html} its
 * report. Opening a folder made with another key is refused with the differences named: a resume must never continue
 * work this job would not have computed.
 */
public final class RunFolder {
    public static final String RUN_FILE = "run.json";
    public static final String RESULTS_FILE = "results.json";
    public static final String REPORT_FILE = "report.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;
    private final boolean resumed;

    private RunFolder(Path folder, boolean resumed) {
        this.folder = folder;
        this.resumed = resumed;
    }

    /**
     * What determines a job's result: its name, its configuration (any JSON-serializable value: a record, a map) and its
     * inputs' weights, data hashes and seed. The model's name is provenance only: the same weights under another path
     * are the same run.
     */
    public static ObjectNode key(String job, Object configuration, RunInputs inputs) {
        ObjectNode key = JSON.createObjectNode();
        key.put("job", job);
        key.set("configuration", JSON.valueToTree(configuration));
        key.put("weights", inputs.weights());
        key.set("data", JSON.valueToTree(inputs.data()));
        key.put("seed", inputs.seed());
        return key;
    }

    /**
     * Opens (creating if needed) {@code folder} for the job with {@code key}. A folder without {@code run.json} is new;
     * one whose saved key equals {@code key} resumes; any other is refused.
     *
     * @throws ScalpelException naming the folder and every field whose value differs
     */
    public static RunFolder open(Path folder, ObjectNode key, Provenance provenance) {
        Path runFile = folder.resolve(RUN_FILE);
        if (Files.exists(runFile)) {
            JsonNode saved = read(runFile).path("key");
            List<String> differs = RunKey.differences(saved, key);
            if (!differs.isEmpty()) {
                throw new ScalpelException(folder + ": holds a run made with other settings: " + String.join("; ", differs)
                        + "; use another output folder or delete this one");
            }
            return new RunFolder(folder, true);
        }
        if (Files.isDirectory(folder.resolve("state"))) {
            throw new ScalpelException(folder + ": holds saved state but no " + RUN_FILE
                    + " (made by an older Scalpel, or damaged); delete it or use another output folder");
        }
        ObjectNode run = JSON.createObjectNode();
        run.set("key", key);
        run.set("provenance", JSON.valueToTree(provenance));
        AtomicFiles.writeJson(JSON, runFile, run);
        return new RunFolder(folder, false);
    }

    /**
     * {@code parent/NAME-HASH} for {@code key}, opened as a run folder: work saved under the same name with other
     * settings stays where it is, and {@code log} says what differs, so that it is visibly not reused.
     */
    public static RunFolder keyed(Path parent, String name, ObjectNode key, Provenance provenance, Consumer<String> log) {
        Path folder = parent.resolve(name + "-" + RunKey.shortHash(key));
        if (Files.isDirectory(parent) && !Files.exists(folder)) {
            try (var others = Files.list(parent)) {
                for (Path other : others.filter(o -> o.getFileName().toString().startsWith(name + "-")).sorted().toList()) {
                    Path runFile = other.resolve(RUN_FILE);
                    if (Files.exists(runFile)) {
                        log.accept(other + " was made with other settings, not reused: "
                                + String.join("; ", RunKey.differences(read(runFile).path("key"), key)));
                    }
                }
            } catch (IOException e) {
                throw new ScalpelException(parent + ": cannot list: " + e.getMessage(), e);
            }
        }
        return open(folder, key, provenance);
    }

    /** Whether the folder already held this run (its state, if any, is this job's to continue from). */
    public boolean resumed() {
        return resumed;
    }

    public Path path() {
        return folder;
    }

    public Path resolve(String name) {
        return folder.resolve(name);
    }

    /** The last checkpoint's folder; it exists only once {@link #checkpoint} has run. */
    public Path state() {
        return folder.resolve("state");
    }

    /**
     * Whether a checkpoint exists. A job killed between setting the previous checkpoint aside and moving the new one in
     * left {@code state.old}: that previous checkpoint is whole, so it is taken up again.
     */
    public boolean hasState() {
        Path previous = folder.resolve("state.old");
        if (!Files.isDirectory(state()) && Files.isDirectory(previous)) {
            try {
                Files.move(previous, state(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new ScalpelException(previous + ": cannot restore the previous checkpoint: " + e.getMessage(), e);
            }
        }
        return Files.isDirectory(state());
    }

    /** What writes one checkpoint's files into a fresh folder. */
    @FunctionalInterface
    public interface StateWriter {
        void writeInto(Path folder) throws IOException;
    }

    /**
     * Replaces {@code state/} with what {@code writer} writes, so that a job killed at any moment leaves one whole
     * checkpoint: the new one is written aside, the old one set aside, the new one moved in, the old one deleted.
     */
    public void checkpoint(StateWriter writer) {
        Path tmp = folder.resolve("state.tmp");
        Path previous = folder.resolve("state.old");
        try {
            hasState();
            Folders.deleteRecursively(tmp);
            Files.createDirectories(tmp);
            writer.writeInto(tmp);
            if (Files.isDirectory(state())) {
                Folders.deleteRecursively(previous);
                Files.move(state(), previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, state(), StandardCopyOption.ATOMIC_MOVE);
            Folders.deleteRecursively(previous);
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot checkpoint the run: " + e.getMessage(), e);
        }
    }

    /** Deletes the checkpoint once the job's results are written: a finished job has nothing to resume. */
    public void clearState() {
        try {
            Folders.deleteRecursively(state());
            Folders.deleteRecursively(folder.resolve("state.old"));
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot delete the finished run's checkpoint: " + e.getMessage(), e);
        }
    }

    /** Writes {@code results.json} atomically. */
    public void writeResults(Object results) {
        AtomicFiles.writeJson(JSON, folder.resolve(RESULTS_FILE), results);
    }

    public Path reportFile() {
        return folder.resolve(REPORT_FILE);
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": unreadable: " + e.getMessage(), e);
        }
    }
}
