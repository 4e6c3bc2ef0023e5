package dev.scalpel.core.io;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A memory-mapped safetensors file whose header was validated strictly on open. Tensor bytes are
 * served as zero-copy read-only views of the mapping, which stays alive until {@link #close()}.
 * The mapping uses a shared arena so that views may be read from any thread.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final SafetensorsHeader header;
    private final Arena arena;
    private final MemorySegment data;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SafetensorsFile(Path path, SafetensorsHeader header, Arena arena, MemorySegment data) {
        this.path = path;
        this.header = header;
        this.arena = arena;
        this.data = data;
    }

    /**
     * Opens and maps {@code file}, validating its whole header before anything is served.
     *
     * @throws CheckpointFormatException if the file is missing or its header is malformed
     * @throws ScalpelException if the file cannot be read for another reason
     */
    public static SafetensorsFile open(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            RawHeader raw = HeaderReader.read(file, channel);
            SafetensorsHeader header = HeaderParser.parse(file, raw.json(), raw.dataLength());
            Arena arena = Arena.ofShared();
            try {
                // The mapping outlives the channel: it is tied to the arena, not to the open file.
                MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, raw.dataStart(), raw.dataLength(), arena)
                        .asReadOnly();
                return new SafetensorsFile(file, header, arena, data);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "no such file", e);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} object of the header; empty if the header has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(header.tensors().sequencedKeySet());
    }

    /** Every tensor's header entry, in header order. */
    public List<TensorInfo> infos() {
        return List.copyOf(header.tensors().sequencedValues());
    }

    /** @throws CheckpointFormatException naming the file and the tensor if there is no such tensor */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new CheckpointFormatException(path, "no tensor named '" + name + "'");
        }
        return info;
    }

    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /** Zero-copy, read-only, little-endian view of the tensor's bytes; valid until {@link #close()}. */
    public MemorySegment segment(String name) {
        TensorInfo info = info(name);
        return data.asSlice(info.begin(), info.byteSize());
    }

    /** The tensor's values widened or converted to float; integer and BOOL tensors convert too. */
    public float[] toFloats(String name) {
        return TensorValues.toFloats(info(name), segment(name));
    }

    /**
     * The tensor's values as longs; U8 is read unsigned and BOOL as 0 or 1.
     *
     * @throws ScalpelException if the tensor is floating point
     */
    public long[] toLongs(String name) {
        return TensorValues.toLongs(info(name), segment(name));
    }

    /** Unmaps the file; segments handed out earlier become inaccessible. Closing twice is harmless. */
    @Override
    public void close() {
        // Arena.close throws on a second call; the flag makes concurrent or repeated closes safe.
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }
}
