package dev.scalpel.interpret.harvest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A finished harvest folder, read back: shard by shard, as one array, or row by row (memory-mapped, so random rows
 * for training cost no more memory than the rows themselves).
 */
public final class ActivationShards implements ActivationRows, AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path folder;
    private final HarvestManifest manifest;
    private final List<SafetensorsFile> files;
    private final long[] firstRow;   // firstRow[i] = rows before shard i; firstRow[n] = total
    private final DType dtype;

    private ActivationShards(Path folder, HarvestManifest manifest, List<SafetensorsFile> files, long[] firstRow) {
        this.folder = folder;
        this.manifest = manifest;
        this.files = files;
        this.firstRow = firstRow;
        this.dtype = manifest.config().dtype();
    }

    /** Opens a finished harvest; an error naming the folder if it is unfinished or a shard is missing or malformed. */
    public static ActivationShards open(Path folder) {
        HarvestManifest m = HarvestManifest.read(folder);
        if (!m.complete()) {
            throw new ScalpelException(folder + ": the harvest is unfinished (" + m.textsDone() + " of " + m.textCount()
                    + " texts); run it again to finish it");
        }
        List<SafetensorsFile> files = new ArrayList<>();
        long[] first = new long[m.shards().size() + 1];
        try {
            for (int i = 0; i < m.shards().size(); i++) {
                HarvestManifest.Shard s = m.shards().get(i);
                SafetensorsFile f = SafetensorsFile.open(folder.resolve(s.file()));
                files.add(f);
                TensorInfo x = f.info("x");
                long[] shape = x.shape();
                if (shape.length != 2 || shape[0] != s.rows() || shape[1] != m.dimension()
                        || x.dtype() != m.config().dtype()) {
                    throw new ScalpelException(f.path() + ": x is " + x.dtype() + " " + Arrays.toString(shape)
                            + " but the manifest says " + m.config().dtype() + " [" + s.rows() + ", " + m.dimension() + "]");
                }
                first[i + 1] = first[i] + s.rows();
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new ActivationShards(folder, m, files, first);
    }

    public Path folder() {
        return folder;
    }

    public HarvestManifest manifest() {
        return manifest;
    }

    @Override
    public int dimension() {
        return manifest.dimension();
    }

    @Override
    public long rowCount() {
        return firstRow[files.size()];
    }

    public int shardCount() {
        return files.size();
    }

    /** One shard's rows {@code [rows * d]} (converted to float). */
    public float[] shardRows(int shard) {
        return files.get(shard).toFloats("x");
    }

    /** One shard's text indices. */
    public long[] shardTextIndex(int shard) {
        return files.get(shard).toLongs("text_index");
    }

    /** One shard's token positions (-1 for pooled rows). */
    public long[] shardPositions(int shard) {
        return files.get(shard).toLongs("position");
    }

    /** Every row as one {@code [rows, d]} float32 array in {@code manager}. */
    public NDArray loadAll(NDManager manager) {
        long total = rowCount() * dimension();
        if (total > Integer.MAX_VALUE - 8) {
            throw new ScalpelException(folder + ": " + rowCount() + " rows of " + dimension()
                    + " do not fit one array; iterate the shards or sample rows instead");
        }
        float[] all = new float[(int) total];
        for (int i = 0; i < files.size(); i++) {
            float[] s = shardRows(i);
            System.arraycopy(s, 0, all, Math.toIntExact(firstRow[i] * dimension()), s.length);
        }
        return manager.create(all, new Shape(rowCount(), dimension()));
    }

    /** The text index of every row, in row order. */
    public long[] textIndex() {
        long[] all = new long[Math.toIntExact(rowCount())];
        for (int i = 0; i < files.size(); i++) {
            long[] s = shardTextIndex(i);
            System.arraycopy(s, 0, all, Math.toIntExact(firstRow[i]), s.length);
        }
        return all;
    }

    @Override
    public void copyRow(long row, float[] dest, int offset) {
        if (row < 0 || row >= rowCount()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rowCount() + " in " + folder);
        }
        int shard = Arrays.binarySearch(firstRow, row);
        shard = shard >= 0 ? shard : -shard - 2;
        while (firstRow[shard + 1] <= row) {
            shard++;   // empty shards cannot occur, but stay correct if they did
        }
        MemorySegment x = files.get(shard).segment("x");
        int d = dimension();
        long at = (row - firstRow[shard]) * d;
        switch (dtype) {
            case F32 -> MemorySegment.copy(x, F32, at * Float.BYTES, dest, offset, d);
            case F16 -> {
                for (int j = 0; j < d; j++) {
                    dest[offset + j] = Float.float16ToFloat(x.get(I16, (at + j) * 2));
                }
            }
            case BF16 -> {
                for (int j = 0; j < d; j++) {
                    dest[offset + j] = Float.intBitsToFloat((x.get(I16, (at + j) * 2) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException("unsupported shard dtype " + dtype);
        }
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
