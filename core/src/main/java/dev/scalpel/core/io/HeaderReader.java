package dev.scalpel.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads and bounds-checks the length prefix and header bytes of a safetensors file. */
final class HeaderReader {
    static final int PREFIX_BYTES = 8;

    /**
     * The same ceiling Hugging Face's reader applies: real headers are at most a few megabytes, and
     * the header is read onto the heap, so a larger declared length is corruption or an attack.
     */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private HeaderReader() {}

    static RawHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < PREFIX_BYTES) {
            throw new CheckpointFormatException(file, "truncated: the file is " + fileSize
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        long declared = prefix.getLong(0);
        // The prefix is an unsigned u64; a negative long means a value above 2^63, absurd as well.
        if (declared < 0 || declared > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "absurd header length "
                    + Long.toUnsignedString(declared) + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        long available = fileSize - PREFIX_BYTES;
        if (declared > available) {
            throw new CheckpointFormatException(file, "header length past the end: the prefix declares "
                    + declared + " header bytes but only " + available + " follow it");
        }
        ByteBuffer json = ByteBuffer.allocate((int) declared);
        readFully(channel, json, PREFIX_BYTES);
        return new RawHeader(json.array(), PREFIX_BYTES + declared, available - declared);
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new IOException("file shrank while its header was being read");
            }
            at += read;
        }
    }
}
