package dev.scalpel.core.io.npy;

/**
 * The numpy element types Scalpel reads, by their type-string code (kind letter + byte size). Little-endian only:
 * numpy writes the machine's byte order and every machine Scalpel runs on is little-endian, so a big-endian file is
 * refused rather than silently byte-swapped.
 */
public enum NpyDType {
    FLOAT16("f2", 2, true),
    FLOAT32("f4", 4, true),
    FLOAT64("f8", 8, true),
    INT8("i1", 1, false),
    INT16("i2", 2, false),
    INT32("i4", 4, false),
    INT64("i8", 8, false),
    UINT8("u1", 1, false),
    BOOL("b1", 1, false);

    private final String code;
    private final int byteSize;
    private final boolean floatingPoint;

    NpyDType(String code, int byteSize, boolean floatingPoint) {
        this.code = code;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** The code without its byte-order character, e.g. {@code f4}. */
    public String code() {
        return code;
    }

    /** The full type string numpy writes in a header, e.g. {@code <f4} or {@code |u1}. */
    public String descr() {
        return (byteSize == 1 ? "|" : "<") + code;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The type of a code such as {@code f4}, or null if Scalpel does not read it. */
    static NpyDType ofCode(String code) {
        for (NpyDType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }
}
