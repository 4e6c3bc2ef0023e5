package dev.scalpel.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file Scalpel writes goes through here (or through {@link SafetensorsWriter}, which shares the temp-and-move
 * steps): the bytes go to a hidden temporary file in the target's folder, are forced to disk, and the file is moved
 * over the target in one step. A job killed mid-write, a full disk or a read-only folder leaves the previous file (or
 * none) and never a half-written one, and the error names the file and the reason.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the bytes of one file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} atomically with {@code body}, creating its folder if needed.
     *
     * @throws ScalpelException naming the file and the reason (no space left, a read-only file system, no permission)
     */
    public static void write(Path file, Body body) {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = createTemp(folder, file.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                // A body may close its stream (Jackson does); the channel must stay open until it is forced.
                OutputStream out = new FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        buffered.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        buffered.flush();
                    }
                };
                body.writeTo(out);
                buffered.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, file);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot write: " + reason(e), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeBytes(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /** {@code value} as JSON with {@code mapper}'s settings. */
    public static void writeJson(ObjectMapper mapper, Path file, Object value) {
        write(file, out -> mapper.writeValue(out, value));
    }

    /** {@code value} as JSON with {@code writer}'s settings (e.g. a pretty printer). */
    public static void writeJson(ObjectWriter writer, Path file, Object value) {
        write(file, out -> writer.writeValue(out, value));
    }

    /** Copies {@code source} into place at {@code file} atomically. */
    public static void copy(Path source, Path file) {
        write(file, out -> Files.copy(source, out));
    }

    /**
     * Created with CREATE_NEW rather than Files.createTempFile, which would give the finished file owner-only
     * permissions instead of the folder's usual ones.
     */
    static Path createTemp(Path folder, String fileName) throws IOException {
        while (true) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = folder.resolve("." + fileName + "." + suffix + ".tmp");
            try {
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                // Another writer drew the same suffix; draw again.
            }
        }
    }

    static void moveIntoPlace(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The write itself already succeeded or already failed with its own error; a stray hidden temp file is
            // not worth masking that outcome.
        }
    }

    /**
     * The operating system's reason. A failed write() has no path in its message ("No space left on device"), and
     * a failed open() names the temp file; either way the caller's message names the target.
     */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
