package dev.scalpel.core.io.npy;

import dev.scalpel.core.ScalpelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads numpy's {@code .npz} archives: a zip of {@code NAME.npy} entries, stored ({@code np.savez}) or deflated
 * ({@code np.savez_compressed}). Arrays are named as numpy names them, without the {@code .npy} suffix. Each entry's
 * CRC is checked as it is read, because {@link ZipFile} does not check it and a corrupt archive must not load as
 * plausible-looking numbers.
 */
public final class NpzReader implements AutoCloseable {
    /** Deflate's largest possible expansion is about 1,032:1; a little headroom for the stream's framing. */
    static final long MAX_DEFLATE_RATIO = 1_100;

    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries;

    private NpzReader(Path file, ZipFile zip, Map<String, ZipEntry> entries) {
        this.file = file;
        this.zip = zip;
        this.entries = entries;
    }

    /**
     * Opens the archive and lists its arrays; nothing is decompressed yet.
     *
     * @throws NpyFormatException naming the file if it is missing or not a readable zip archive
     */
    public static NpzReader open(Path file) {
        if (!Files.exists(file)) {
            throw new NpyFormatException(file, null, "no such file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(file, null, "not a readable zip archive (" + e.getMessage() + "); an .npz"
                    + " file is a zip of .npy entries, and this one is corrupt, truncated or of another format", e);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory()) {
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                entries.put(name, e);
            }
        }
        return new NpzReader(file, zip, entries);
    }

    /** Reads every array of the archive, in archive order. */
    public static Map<String, NpyArray> readAll(Path file) {
        try (NpzReader npz = open(file)) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            for (String name : npz.names()) {
                out.put(name, npz.read(name));
            }
            return out;
        }
    }

    public Path file() {
        return file;
    }

    /** Array names in archive order, without the {@code .npy} suffix. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * Reads and checks one array.
     *
     * @throws NpyFormatException naming the file and entry if there is no such array or it is malformed or corrupt
     */
    public NpyArray read(String name) {
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw new NpyFormatException(file, null, "no array named '" + name + "' (the archive holds " + names() + ")");
        }
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size < 0 || compressed < 0) {
            throw new NpyFormatException(file, entry.getName(), "the archive does not record the entry's size");
        }
        // Deflate cannot expand data more than about 1,032 times: a larger claim is a corrupt or hostile archive (a
        // zip bomb), refused before anything is inflated or allocated.
        if (entry.getMethod() == ZipEntry.DEFLATED && size > MAX_DEFLATE_RATIO * Math.max(compressed, 1)) {
            throw new NpyFormatException(file, entry.getName(), "claims " + size + " bytes from " + compressed
                    + " compressed ones, more than deflate can expand; the archive is corrupt or a zip bomb");
        }
        if (entry.getMethod() == ZipEntry.STORED && size != compressed) {
            throw new NpyFormatException(file, entry.getName(), "a stored entry of " + size + " bytes occupies "
                    + compressed + " in the archive; the archive is corrupt");
        }
        CRC32 crc = new CRC32();
        // Never more than the recorded size is read, so an entry that inflates past it cannot fill memory either.
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(
                new BoundedInputStream(zip.getInputStream(entry), size, file, entry.getName()), 1 << 16), crc)) {
            NpyArray array = NpyReader.read(in, file, entry.getName(), size);
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new NpyFormatException(file, entry.getName(), "CRC mismatch: the archive is corrupt");
            }
            return array;
        } catch (ZipException e) {
            throw new NpyFormatException(file, entry.getName(), "corrupt compressed data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ScalpelException(file + " (entry " + entry.getName() + "): cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            // Nothing was written; a failed close of a read-only archive loses nothing.
        }
    }

    /** Passes at most {@code limit} bytes and fails, naming the entry, if the stream has more. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private final Path file;
        private final String entry;
        private long left;

        BoundedInputStream(InputStream in, long limit, Path file, String entry) {
            super(in);
            this.left = limit;
            this.file = file;
            this.entry = entry;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0) {
                if (in.read() >= 0) {
                    throw new NpyFormatException(file, entry, "inflates to more bytes than the archive records; the "
                            + "archive is corrupt or a zip bomb");
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
