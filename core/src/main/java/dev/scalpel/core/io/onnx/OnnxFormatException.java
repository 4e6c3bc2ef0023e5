package dev.scalpel.core.io.onnx;

import dev.scalpel.core.ScalpelException;

/** An ONNX file that is truncated, malformed, or uses a feature this reader does not support. */
public final class OnnxFormatException extends ScalpelException {
    private final String source;
    private final long offset;

    /**
     * @param source the file (or class-path resource) at fault
     * @param offset the byte offset where the problem was found, or -1 when it concerns the file as a whole
     */
    public OnnxFormatException(String source, long offset, String problem) {
        super(source + ": " + problem + (offset >= 0 ? " (at byte offset " + offset + ")" : ""));
        this.source = source;
        this.offset = offset;
    }

    public OnnxFormatException(String source, long offset, String problem, Throwable cause) {
        super(source + ": " + problem + (offset >= 0 ? " (at byte offset " + offset + ")" : ""), cause);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    /** Byte offset of the problem in the file, or -1. */
    public long offset() {
        return offset;
    }
}
