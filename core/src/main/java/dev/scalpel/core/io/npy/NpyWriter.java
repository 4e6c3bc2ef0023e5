package dev.scalpel.core.io.npy;

import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npy} files (format 1.0, or 2.0 when the header outgrows 65535 bytes) and {@code .npz} archives the
 * way numpy does, so that arrays Scalpel produces open with {@code np.load}. C order, little-endian.
 */
public final class NpyWriter {
    private NpyWriter() {}

    /** Writes one array as a {@code .npy} file. */
    public static void write(Path file, NpyArray array) {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /**
     * Writes arrays as an {@code .npz} archive, entries named {@code NAME.npy}.
     *
     * @param deflate true for {@code np.savez_compressed}'s deflated entries, false for {@code np.savez}'s stored ones
     */
    public static void writeNpz(Path file, Map<String, NpyArray> arrays, boolean deflate) {
        AtomicFiles.write(file, out -> writeNpz(out, arrays, deflate));
    }

    private static void writeNpz(OutputStream out, Map<String, NpyArray> arrays, boolean deflate) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                byte[] bytes = toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (deflate) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry needs its size and CRC before its data.
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes.length);
                    entry.setCompressedSize(bytes.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }

    /** The complete {@code .npy} image of an array that fits a Java byte array. */
    public static byte[] toBytes(NpyArray array) {
        byte[] header = header(array);
        long total = header.length + array.data().byteSize();
        if (total > Integer.MAX_VALUE - 8) {
            throw new ScalpelException("array " + array + " is too large for an in-memory .npy image; write it to a file");
        }
        byte[] out = new byte[(int) total];
        System.arraycopy(header, 0, out, 0, header.length);
        MemorySegment.copy(array.data(), ValueLayout.JAVA_BYTE, 0, out, header.length, (int) array.data().byteSize());
        return out;
    }

    private static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        MemorySegment data = array.data();
        byte[] chunk = new byte[1 << 16];
        for (long at = 0; at < data.byteSize(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, data.byteSize() - at);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /**
     * Magic, version, length, then the dict padded exactly as numpy pads it: 21 spare characters minus the digits of
     * the first dimension (numpy's room to grow an array in place), then spaces and a newline up to the next multiple
     * of 64 bytes, a full 64 when already aligned. Matching numpy byte for byte lets tests compare with its files.
     */
    private static byte[] header(NpyArray array) {
        StringJoiner dims = new StringJoiner(", ", "(", array.rank() == 1 ? ",)" : ")");
        for (long d : array.shape()) {
            dims.add(Long.toString(d));
        }
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int growth = array.rank() == 0 ? 0 : Math.max(0, 21 - Long.toString(array.dim(0)).length());
        int length = dict.length() + growth + 1;
        boolean v1 = length + 10 + 64 <= 65535;
        int prefix = v1 ? 10 : 12;
        int pad = 64 - (prefix + length) % 64;
        String text = dict + " ".repeat(growth + pad) + "\n";
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[prefix + body.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = (byte) (v1 ? 1 : 2);
        out[7] = 0;
        int n = body.length;
        out[8] = (byte) n;
        out[9] = (byte) (n >>> 8);
        if (!v1) {
            out[10] = (byte) (n >>> 16);
            out[11] = (byte) (n >>> 24);
        }
        System.arraycopy(body, 0, out, prefix, body.length);
        return out;
    }
}
