package dev.scalpel.core.io;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A model's weights: a single {@code model.safetensors}, or a sharded set described by
 * {@code model.safetensors.index.json} ({@code {"metadata":{...},"weight_map":{tensor:shard}}}).
 * Every shard is mapped on open and stays mapped until {@link #close()}.
 */
public final class Checkpoint implements AutoCloseable {
    static final String SINGLE_FILE = "model.safetensors";

    private final Path source;
    private final List<SafetensorsFile> shards;
    private final SequencedMap<String, SafetensorsFile> fileOf;

    private Checkpoint(Path source, List<SafetensorsFile> shards, SequencedMap<String, SafetensorsFile> fileOf) {
        this.source = source;
        this.shards = List.copyOf(shards);
        this.fileOf = Collections.unmodifiableSequencedMap(fileOf);
    }

    /**
     * Opens the checkpoint in {@code folder}: through the index if there is one, otherwise
     * {@code model.safetensors}.
     *
     * @throws CheckpointFormatException if the folder holds no safetensors checkpoint (naming the
     *     folder), holds only pickle checkpoints (which are refused, never read), or anything is malformed
     */
    public static Checkpoint open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new CheckpointFormatException(folder, Files.exists(folder)
                    ? "not a folder; open a single safetensors file with Checkpoint.openFile"
                    : "no such folder");
        }
        Path index = folder.resolve(ShardIndex.FILE_NAME);
        if (Files.isRegularFile(index)) {
            return openSharded(ShardIndex.read(index));
        }
        Path single = folder.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return openFile(single);
        }
        throw nothingToOpen(folder);
    }

    /** Opens one safetensors file as a whole checkpoint. */
    public static Checkpoint openFile(Path safetensorsFile) {
        SafetensorsFile file = SafetensorsFile.open(safetensorsFile);
        SequencedMap<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        for (String name : file.names()) {
            fileOf.put(name, file);
        }
        return new Checkpoint(safetensorsFile, List.of(file), fileOf);
    }

    private static Checkpoint openSharded(ShardIndex index) {
        // Sorted so that "the first shard" is model-00001-of-0000N under Hugging Face's naming.
        Map<String, Path> shardPaths = new LinkedHashMap<>();
        for (String shard : new TreeSet<>(index.weightMap().values())) {
            Path path = index.resolve(shard);
            if (!Files.isRegularFile(path)) {
                throw new CheckpointFormatException(index.file(), "shard '" + shard
                        + "' named in the index is missing: " + path + " does not exist");
            }
            shardPaths.put(shard, path);
        }
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> shard : shardPaths.entrySet()) {
                opened.put(shard.getKey(), SafetensorsFile.open(shard.getValue()));
            }
            SequencedMap<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
                SafetensorsFile file = opened.get(entry.getValue());
                if (!file.contains(entry.getKey())) {
                    throw new CheckpointFormatException(index.file(), "the index maps tensor '" + entry.getKey()
                            + "' to shard '" + entry.getValue() + "', which does not contain it");
                }
                fileOf.put(entry.getKey(), file);
            }
            return new Checkpoint(index.file(), new ArrayList<>(opened.values()), fileOf);
        } catch (RuntimeException e) {
            opened.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static CheckpointFormatException nothingToOpen(Path folder) {
        List<String> pickles;
        List<String> otherSafetensors;
        try {
            pickles = PickleRefusal.pickleFiles(folder);
            try (Stream<Path> entries = Files.list(folder)) {
                otherSafetensors = entries.map(path -> path.getFileName().toString())
                        .filter(name -> name.endsWith(".safetensors"))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot list folder: " + e.getMessage(), e);
        }
        if (!pickles.isEmpty() && otherSafetensors.isEmpty()) {
            return PickleRefusal.refuse(folder, pickles);
        }
        String problem = "no " + SINGLE_FILE + " or " + ShardIndex.FILE_NAME + " in this folder";
        if (!otherSafetensors.isEmpty()) {
            problem += " (it holds " + String.join(", ", otherSafetensors)
                    + "; open one with Checkpoint.openFile)";
        }
        return new CheckpointFormatException(folder, problem);
    }

    /** The index file of a sharded checkpoint, or the safetensors file of a single-file one. */
    public Path source() {
        return source;
    }

    /** Tensor names: index order for a sharded checkpoint, header order for a single file. */
    public List<String> names() {
        return List.copyOf(fileOf.sequencedKeySet());
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    /** @throws CheckpointFormatException naming the checkpoint and the tensor if there is no such tensor */
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** Zero-copy, read-only view of the tensor's bytes, valid until {@link #close()}. */
    public MemorySegment segment(String name) {
        return file(name).segment(name);
    }

    public float[] toFloats(String name) {
        return file(name).toFloats(name);
    }

    public long[] toLongs(String name) {
        return file(name).toLongs(name);
    }

    /** The safetensors file that holds the tensor. */
    public Path fileOf(String name) {
        return file(name).path();
    }

    /** Every safetensors file of the checkpoint; shards sorted by file name. */
    public List<Path> files() {
        return shards.stream().map(SafetensorsFile::path).toList();
    }

    /** The {@code __metadata__} of the first shard (by file name), or of the single file. */
    public Map<String, String> metadata() {
        return shards.getFirst().metadata();
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new CheckpointFormatException(source, "no tensor named '" + name + "'");
        }
        return file;
    }

    /** Unmaps every shard; closing twice is harmless. */
    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
