package dev.scalpel.core.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Bytes to text, decoded the same way wherever Scalpel reads user text: gzip-compressed input is decompressed
 * (recognized by its first two bytes, so a {@code .gz} name is not needed and a misnamed file still reads), and the
 * text must be valid UTF-8 (a malformed byte is an error, never a silent replacement character, because a replaced
 * character changes what is hashed and tokenized).
 */
public final class TextReaders {
    /** U+FEFF at the start of a file is an encoding mark, not text. */
    public static final char BYTE_ORDER_MARK = '\uFEFF';

    private static final int BUFFER = 1 << 16;

    private TextReaders() {
    }

    /** The input, decompressed where it is gzip. The caller closes it (closing it closes {@code raw}). */
    public static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
    }

    /**
     * Strict UTF-8 lines of the (possibly gzip) input; reading a malformed byte throws
     * {@link java.nio.charset.CharacterCodingException}.
     */
    public static BufferedReader utf8(InputStream raw) throws IOException {
        return new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), BUFFER);
    }

    /** The line without a leading byte-order mark (for the first line of a file). */
    public static String withoutByteOrderMark(String line) {
        return !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK ? line.substring(1) : line;
    }
}
