package dev.scalpel.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors bytes by hand, so tests can produce files our writer would never emit. */
final class RawSafetensors {
    private RawSafetensors() {}

    /** Prefix declaring {@code declaredHeaderLength}, followed by {@code rest} verbatim. */
    static byte[] withPrefix(long declaredHeaderLength, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredHeaderLength).put(rest).array();
    }

    /** A correctly framed file: the header's true length, the header, then {@code dataBytes} zero bytes. */
    static byte[] file(String headerJson, int dataBytes) {
        return file(headerJson.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    static byte[] file(byte[] header, byte[] data) {
        byte[] rest = new byte[header.length + data.length];
        System.arraycopy(header, 0, rest, 0, header.length);
        System.arraycopy(data, 0, rest, header.length, data.length);
        return withPrefix(header.length, rest);
    }

    static Path write(Path folder, String fileName, byte[] bytes) {
        try {
            return Files.write(folder.resolve(fileName), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
