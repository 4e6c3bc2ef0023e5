package dev.scalpel.core.io;

/**
 * The framing of a safetensors file: the JSON header's bytes, and where the data section lies.
 *
 * @param json the header bytes exactly as declared by the length prefix (padding included)
 * @param dataStart file offset of the data section, {@code 8 + json.length}
 * @param dataLength bytes from {@code dataStart} to the end of the file
 */
record RawHeader(byte[] json, long dataStart, long dataLength) {}
