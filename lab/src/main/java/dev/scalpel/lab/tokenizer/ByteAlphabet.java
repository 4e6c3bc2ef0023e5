package dev.scalpel.lab.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable characters. Byte-level BPE works on bytes, but
 * tokenizer.json stores tokens as strings; bytes that are printable and not whitespace stand for themselves, the 68
 * others (controls, space, soft hyphen, ...) are shifted to code points 256 and up, so that every token is a visible
 * string without spaces (which is also why a merge can be written as "left right").
 */
final class ByteAlphabet {
    /** The number of symbols: every byte value. */
    static final int SIZE = 256;

    private static final char[] BYTE_TO_CHAR = new char[SIZE];
    /** Indexed by character; -1 where the character stands for no byte. The largest character is U+0143. */
    private static final int[] CHAR_TO_BYTE = new int[SIZE + 68];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < SIZE; b++) {
            boolean standsForItself = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (standsForItself ? b : SIZE + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteAlphabet() {}

    /** The character that stands for byte {@code b} (0-255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 if it stands for none. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level form of {@code text}: one character per byte of its UTF-8 encoding. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = charOf(bytes[i]);
        }
        return new String(chars);
    }

    /**
     * Appends the bytes a token stands for. A token with a character outside the alphabet (a special token such as
     * {@code <bos>} is made of alphabet characters, but a foreign vocabulary might not be) contributes its own UTF-8
     * bytes, as the Rust ByteLevel decoder does.
     */
    static void appendBytes(String token, java.io.ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            if (byteOf(token.charAt(i)) < 0) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            out.write(byteOf(token.charAt(i)));
        }
    }

    /** All 256 symbols in code point order, the order in which they get ids after the special tokens. */
    static String[] symbolsInCodePointOrder() {
        char[] chars = BYTE_TO_CHAR.clone();
        java.util.Arrays.sort(chars);
        String[] symbols = new String[SIZE];
        for (int i = 0; i < SIZE; i++) {
            symbols[i] = String.valueOf(chars[i]);
        }
        return symbols;
    }
}
