package dev.scalpel.core.io.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.StringJoiner;

/**
 * The protobuf wire format read from a stream: varints, fixed-width numbers and length-delimited fields, with the
 * absolute offset of every byte so that errors can say where a file went wrong. Messages nest by end offsets: a parser
 * reads fields while {@link #offset()} is below its message's end, and every length is checked against that end, so
 * a corrupt length is caught where it is read instead of swallowing the rest of the file.
 *
 * <p>Reading goes through one 64 KiB buffer; large fields (tensor data) are copied from it straight into their
 * destination, so the file is never held in memory as a whole.
 */
final class WireInput {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private static final int MAX_FIELD_NUMBER = (1 << 29) - 1;

    private final InputStream in;
    private final String source;
    private final long size;
    private final byte[] buffer = new byte[1 << 16];
    private final MemorySegment bufferSegment = MemorySegment.ofArray(buffer);
    private final Deque<String> context = new ArrayDeque<>();
    private int position;      // next unread byte of buffer
    private int limit;         // bytes of buffer that hold data
    private long bufferStart;  // file offset of buffer[0]

    /** @param size the stream's length when known (a file), {@link Long#MAX_VALUE} otherwise */
    WireInput(InputStream in, String source, long size) {
        this.in = in;
        this.source = source;
        this.size = size;
    }

    /** The stream's length when known, else {@link Long#MAX_VALUE}: the end of the top-level message. */
    long size() {
        return size;
    }

    String source() {
        return source;
    }

    /** Offset in the file of the next byte to be read. */
    long offset() {
        return bufferStart + position;
    }

    /** Whether the stream is exhausted: the end of the top-level message. */
    boolean atEndOfStream() {
        return position == limit && !fill();
    }

    // --- context, for error messages -------------------------------------------------------------------------------

    /** Names the part of the file being read ("graph", "initializer 3 'w'"), until the matching {@link #leave()}. */
    void enter(String part) {
        context.push(part);
    }

    /** Renames the innermost part once more is known about it (a tensor's name is often read after its start). */
    void describe(String part) {
        context.pop();
        context.push(part);
    }

    void leave() {
        context.pop();
    }

    /** An error at the current offset, naming the source and the part being read. */
    OnnxFormatException error(String problem) {
        return error(problem, offset());
    }

    OnnxFormatException error(String problem, long at) {
        StringJoiner where = new StringJoiner(" > ");
        for (Iterator<String> it = context.descendingIterator(); it.hasNext(); ) {
            where.add(it.next());
        }
        return new OnnxFormatException(source, at, problem + (context.isEmpty() ? "" : " in " + where));
    }

    // --- fields -----------------------------------------------------------------------------------------------------

    /** Reads a field key; returns {@code fieldNumber << 3 | wireType}, rejecting wire types ONNX never uses. */
    int readKey() {
        long at = offset();
        long key = readVarint();
        long field = key >>> 3;
        int wire = (int) (key & 7);
        if (field < 1 || field > MAX_FIELD_NUMBER) {
            throw error("invalid field number " + field + " (corrupt data?)", at);
        }
        if (wire != VARINT && wire != FIXED64 && wire != LENGTH_DELIMITED && wire != FIXED32) {
            throw error("field " + field + " has wire type " + wire + ", which is not valid here (corrupt data?)", at);
        }
        return (int) key;
    }

    static int fieldNumber(int key) {
        return key >>> 3;
    }

    static int wireType(int key) {
        return key & 7;
    }

    /** Checks that a field of a known number arrived with the wire type the schema gives it. */
    void expectWireType(int key, int wireType, String fieldName) {
        if (wireType(key) != wireType) {
            throw error(fieldName + " (field " + fieldNumber(key) + ") has wire type " + wireType(key) + " but should have "
                    + wireType + " (corrupt data?)");
        }
    }

    long readVarint() {
        long at = offset();
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw error("malformed varint (longer than 10 bytes)", at);
    }

    int readFixed32() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value |= readByte() << (8 * i);
        }
        return value;
    }

    long readFixed64() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (long) readByte() << (8 * i);
        }
        return value;
    }

    /** Reads the length of a length-delimited field and checks that it fits before {@code end}. */
    long readLength(long end) {
        long at = offset();
        long length = readVarint();
        long remaining = end - offset();
        if (length < 0 || length > remaining) {
            throw error(end == size
                    ? "the file is truncated or corrupt: a field claims " + Long.toUnsignedString(length)
                            + " bytes but the file has only " + remaining + " left"
                    : "a field claims " + Long.toUnsignedString(length) + " bytes, more than its enclosing message "
                            + "(which ends at offset " + end + ") holds", at);
        }
        return length;
    }

    String readString(long end) {
        long length = readLength(end);
        if (length > Integer.MAX_VALUE) {
            throw error("a string of " + length + " bytes is too long");
        }
        return new String(readBytes((int) length), StandardCharsets.UTF_8);
    }

    byte[] readBytes(int n) {
        if (n > 1 << 20 && size == Long.MAX_VALUE) {
            // A stream of unknown length: a corrupt length must fail at the stream's end, not by allocating gigabytes.
            java.io.ByteArrayOutputStream grown = new java.io.ByteArrayOutputStream(1 << 20);
            int left = n;
            while (left > 0) {
                requireData(left);
                int chunk = Math.min(left, limit - position);
                grown.write(buffer, position, chunk);
                position += chunk;
                left -= chunk;
            }
            return grown.toByteArray();
        }
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            requireData(n - done);
            int chunk = Math.min(n - done, limit - position);
            System.arraycopy(buffer, position, out, done, chunk);
            position += chunk;
            done += chunk;
        }
        return out;
    }

    /** Copies the next {@code n} bytes into {@code target} from its start. */
    void readInto(MemorySegment target, long n) {
        long done = 0;
        while (done < n) {
            requireData(n - done);
            int chunk = (int) Math.min(n - done, limit - position);
            MemorySegment.copy(bufferSegment, position, target, done, chunk);
            position += chunk;
            done += chunk;
        }
    }

    void skip(long n) {
        long done = 0;
        while (done < n) {
            requireData(n - done);
            int chunk = (int) Math.min(n - done, limit - position);
            position += chunk;
            done += chunk;
        }
    }

    /** Skips a field this reader does not need. */
    void skipField(int key, long end) {
        switch (wireType(key)) {
            case VARINT -> readVarint();
            case FIXED64 -> skip(8);
            case FIXED32 -> skip(4);
            default -> skip(readLength(end));
        }
    }

    /** Checks that the fields of a message ended exactly at its end, not inside the next one. */
    void checkEnd(long end) {
        if (offset() != end) {
            throw error("the last field runs " + (offset() - end) + " byte(s) past the end of its message (offset " + end
                    + ")");
        }
    }

    // --- buffer -----------------------------------------------------------------------------------------------------

    private int readByte() {
        if (position == limit) {
            requireData(1);
        }
        return buffer[position++] & 0xFF;
    }

    /** Makes at least one unread byte available; {@code wanted} only words the error when the file ends first. */
    private void requireData(long wanted) {
        if (position == limit && !fill()) {
            throw error("the file is truncated: it ends here, " + wanted + " more byte(s) were expected");
        }
    }

    private boolean fill() {
        bufferStart += limit;
        position = 0;
        limit = 0;
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            limit = n;
            return true;
        } catch (IOException e) {
            throw new OnnxFormatException(source, offset(), "cannot be read: " + e.getMessage(), e);
        }
    }
}
