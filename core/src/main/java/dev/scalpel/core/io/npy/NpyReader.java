package dev.scalpel.core.io.npy;

import dev.scalpel.core.ScalpelException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads numpy's {@code .npy} format, versions 1.0, 2.0 and 3.0: the magic {@code \x93NUMPY}, a version, a header
 * length (2 bytes in 1.0, 4 bytes after), the header dict, then the raw elements. Strict: a wrong magic, an unknown
 * version, a truncated body or bytes after the data are errors naming the file, because each means the file is not
 * what its header says. Fortran-ordered arrays are reordered to C order, so callers see one layout.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 20;

    private NpyReader() {}

    /**
     * Reads the whole array of a {@code .npy} file.
     *
     * @throws NpyFormatException naming the file if it is missing, malformed, truncated or of a refused dtype
     */
    public static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file, null, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new NpyFormatException(file, null, "no such file");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one array from {@code in}, which must hold exactly one {@code .npy} image (nothing after the data).
     *
     * @param entry the archive entry being read, for messages; null for a plain file
     * @param size how many bytes the file or entry holds: a header claiming more data is refused before anything is
     *     allocated, so that a corrupt or hostile shape cannot exhaust memory
     */
    static NpyArray read(InputStream in, Path file, String entry, long size) throws IOException {
        byte[] lead = in.readNBytes(MAGIC.length + 2);
        if (lead.length < MAGIC.length || !Arrays.equals(lead, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            String hint = lead.length >= 2 && lead[0] == 'P' && lead[1] == 'K'
                    ? " (it is a zip archive: an .npz file holds several arrays; read it with NpzReader)" : "";
            throw new NpyFormatException(file, entry, "not a .npy file: it does not start with \\x93NUMPY" + hint);
        }
        if (lead.length < MAGIC.length + 2) {
            throw new NpyFormatException(file, entry, "truncated: the file ends inside its magic and version");
        }
        int major = lead[6] & 0xFF;
        int minor = lead[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(file, entry, "unsupported .npy format version " + major + "." + minor
                    + " (known: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] rawLength = readFully(in, lengthBytes, file, entry, "its header length");
        long headerLength = major == 1
                ? Short.toUnsignedInt(ByteBuffer.wrap(rawLength).order(ByteOrder.LITTLE_ENDIAN).getShort())
                : Integer.toUnsignedLong(ByteBuffer.wrap(rawLength).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (headerLength > MAX_HEADER) {
            throw new NpyFormatException(file, entry, "the header claims " + headerLength + " bytes, far more than"
                    + " numpy ever writes; the file is corrupt");
        }
        byte[] rawHeader = readFully(in, (int) headerLength, file, entry, "its header");
        String text = new String(rawHeader, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(text, file, entry);

        NpyDType dtype = header.dtype();
        long[] shape = header.shape();
        long byteCount;
        try {
            byteCount = Math.multiplyExact(NpyArray.elementCount(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new NpyFormatException(file, entry, "shape " + Arrays.toString(shape) + " is too large");
        }
        long available = size - lead.length - lengthBytes - headerLength;
        if (byteCount > available) {
            throw new NpyFormatException(file, entry, "truncated: shape " + Arrays.toString(shape) + " of "
                    + dtype.descr() + " needs " + byteCount + " data bytes but only " + Math.max(0, available)
                    + " follow the header");
        }
        MemorySegment data = readData(in, byteCount, file, entry, shape, dtype);
        if (in.read() != -1) {
            throw new NpyFormatException(file, entry, "has bytes after the " + byteCount + " data bytes that shape "
                    + Arrays.toString(shape) + " of " + dtype.descr() + " needs; the file is corrupt");
        }
        if (header.fortranOrder() && shape.length > 1) {
            data = toCOrder(data, shape, dtype.byteSize());
        }
        return new NpyArray(dtype, shape, data);
    }

    private static byte[] readFully(InputStream in, int n, Path file, String entry, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new NpyFormatException(file, entry, "truncated: the file ends inside " + what);
        }
        return b;
    }

    /** Heap memory when it fits a Java array, GC-managed native memory beyond (an SAE matrix may exceed 2 GB). */
    private static MemorySegment allocate(long byteCount) {
        return byteCount <= Integer.MAX_VALUE - 8
                ? MemorySegment.ofArray(new byte[(int) byteCount])
                : Arena.ofAuto().allocate(byteCount, 8);
    }

    private static MemorySegment readData(InputStream in, long byteCount, Path file, String entry, long[] shape,
                                          NpyDType dtype) throws IOException {
        MemorySegment data = allocate(byteCount);
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(byteCount, 1))];
        long done = 0;
        while (done < byteCount) {
            int want = (int) Math.min(chunk.length, byteCount - done);
            int got = in.readNBytes(chunk, 0, want);
            MemorySegment.copy(MemorySegment.ofArray(chunk), 0, data, done, got);
            done += got;
            if (got < want) {
                throw new NpyFormatException(file, entry, "truncated: shape " + Arrays.toString(shape) + " of "
                        + dtype.descr() + " needs " + byteCount + " data bytes but only " + done + " follow the header",
                        new EOFException());
            }
        }
        return data;
    }

    /** Reorders column-major elements to row-major, walking the C-order index like an odometer. */
    private static MemorySegment toCOrder(MemorySegment fortran, long[] shape, int size) {
        int rank = shape.length;
        long[] fStride = new long[rank];
        fStride[0] = 1;
        for (int k = 1; k < rank; k++) {
            fStride[k] = fStride[k - 1] * shape[k - 1];
        }
        long count = NpyArray.elementCount(shape);
        MemorySegment out = allocate(fortran.byteSize());
        long[] index = new long[rank];
        long f = 0;
        for (long c = 0; c < count; c++) {
            MemorySegment.copy(fortran, f * size, out, c * size, size);
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                f += fStride[k];
                if (index[k] < shape[k]) {
                    break;
                }
                f -= index[k] * fStride[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
